package io.fleetcast.routing.broker;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A message as a Paho client received it.
 *
 * @param properties the MQTT 5 properties, or null for an MQTT 3.1.1 client
 */
record Delivery(
        String topic, String payload, int qos, boolean retained, boolean dup, int id, MqttProperties properties) {

    static Delivery v3(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
        return new Delivery(
                topic,
                new String(message.getPayload(), StandardCharsets.UTF_8),
                message.getQos(),
                message.isRetained(),
                message.isDuplicate(),
                message.getId(),
                null);
    }

    static Delivery v5(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        return new Delivery(
                topic,
                new String(message.getPayload(), StandardCharsets.UTF_8),
                message.getQos(),
                message.isRetained(),
                message.isDuplicate(),
                message.getId(),
                message.getProperties());
    }

    /** "topic:payload", the usual thing to compare. */
    String text() {
        return topic + ":" + payload;
    }
}
