package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.routing.TopicFilter;
import io.fleetcast.routing.broker.ClientPolicy;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.PublishVerdict;

/**
 * A client without credentials while the anonymous mode is on ({@code fleetcast.mqtt.anonymous}): a
 * plain broker for local testing against standard MQTT test suites and for benchmarks. It may publish
 * and subscribe anywhere except the {@code $} topics and the devices' own topics, so it can listen to
 * broadcasts but never pose as a device. Off by default.
 */
final class AnonymousPolicy implements ClientPolicy {

    private final String clientId;

    AnonymousPolicy(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public PublishVerdict onPublish(Message message) {
        String topic = message.topic();
        if (topic.startsWith("$") || topic.startsWith(io.fleetcast.protocol.Topics.DEVICE_ROOT)) {
            return PublishVerdict.refuse(ReasonCodes.NOT_AUTHORIZED, "topic_not_allowed");
        }
        return PublishVerdict.ROUTE;
    }

    @Override
    public int onSubscribe(TopicFilter filter, int requestedQos) {
        return requestedQos;
    }

    @Override
    public String describe() {
        return "anonymous clientId=" + clientId;
    }
}
