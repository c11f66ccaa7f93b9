package io.fleetcast.simulators.fanout.load;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.List;

/** The few client packets the generator sends. */
final class MqttPackets {

    /** PINGREQ has no variable part, so one instance serves every connection. */
    static final MqttMessage PINGREQ =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));

    private MqttPackets() {}

    static MqttConnectMessage connect(ClientOptions options, String clientId) {
        return MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(options.version())
                .cleanSession(true)
                .keepAlive(options.keepAliveSeconds())
                .build();
    }

    /**
     * A PUBLISH that takes ownership of {@code payload}: the encoder releases it once written.
     * (MqttMessageBuilders.publish() would copy the payload and leave the original unreleased.)
     */
    static MqttPublishMessage publish(String topic, MqttQoS qos, int packetId, ByteBuf payload) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, qos == MqttQoS.AT_MOST_ONCE ? -1 : packetId),
                payload);
    }

    static MqttPubAckMessage pubAck(int packetId) {
        return new MqttPubAckMessage(
                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                MqttMessageIdVariableHeader.from(packetId));
    }

    static MqttSubscribeMessage subscribe(int packetId, List<String> filters, MqttQoS qos) {
        MqttMessageBuilders.SubscribeBuilder builder =
                MqttMessageBuilders.subscribe().messageId(packetId);
        filters.forEach(filter -> builder.addSubscription(qos, filter));
        return builder.build();
    }

    static MqttUnsubscribeMessage unsubscribe(int packetId, List<String> filters) {
        MqttMessageBuilders.UnsubscribeBuilder builder =
                MqttMessageBuilders.unsubscribe().messageId(packetId);
        filters.forEach(builder::addTopicFilter);
        return builder.build();
    }
}
