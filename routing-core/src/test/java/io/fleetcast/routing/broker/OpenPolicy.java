package io.fleetcast.routing.broker;

import io.fleetcast.routing.TopicFilter;
import java.util.concurrent.CompletableFuture;

/** Lets every client in and allows everything but publishing to {@code $} topics: the tests' broker. */
final class OpenPolicy implements ClientPolicy {

    static final Authenticator AUTHENTICATOR =
            request -> CompletableFuture.completedFuture(Admission.accept(request.clientId(), new OpenPolicy()));

    @Override
    public PublishVerdict onPublish(Message message) {
        return message.topic().startsWith("$") ? PublishVerdict.refuse(0x87, "dollar_topic") : PublishVerdict.ROUTE;
    }

    @Override
    public int onSubscribe(TopicFilter filter, int requestedQos) {
        return requestedQos;
    }

    @Override
    public String describe() {
        return "open";
    }
}
