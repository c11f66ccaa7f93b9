package io.fleetcast.routing.broker;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.Objects;

/**
 * An application message as routed: immutable, shared by every delivery, every offline queue and the
 * retained store. The payload is a plain array owned by the message, copied once out of the decoder's
 * buffer, so it needs no reference counting however long a queue holds it.
 *
 * @param topic the topic name (never an alias)
 * @param qos QoS as published
 * @param retain the RETAIN flag as published
 * @param payload the payload bytes; never modified
 * @param properties MQTT 5 properties forwarded to subscribers (payload format, content type,
 *     response topic, correlation data, user properties); never the topic alias, the message expiry
 *     or subscription identifiers, which differ per delivery
 * @param expiresAtMillis when the message expires (epoch millis), 0 for never
 * @param origin the session that published it, for no-local; null for the platform or another node
 */
public record Message(
        String topic,
        int qos,
        boolean retain,
        byte[] payload,
        MqttProperties properties,
        long expiresAtMillis,
        Object origin) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        properties = properties == null ? MqttProperties.NO_PROPERTIES : properties;
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
    }

    /** A message from the platform itself, without properties or expiry. */
    public static Message of(String topic, int qos, boolean retain, byte[] payload) {
        return new Message(topic, qos, retain, payload, MqttProperties.NO_PROPERTIES, 0, null);
    }

    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** Seconds left before expiry, rounded up, for the Message Expiry Interval of a delivery; -1 for none. */
    public long remainingExpirySeconds(long nowMillis) {
        if (expiresAtMillis == 0) {
            return -1;
        }
        return Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    /** The same message with another RETAIN flag (retained copies are stored with the flag set). */
    public Message withRetain(boolean flag) {
        return flag == retain ? this : new Message(topic, qos, flag, payload, properties, expiresAtMillis, origin);
    }

    /** The same message without its origin, as stored or as forwarded to another node. */
    public Message withoutOrigin() {
        return origin == null ? this : new Message(topic, qos, retain, payload, properties, expiresAtMillis, null);
    }
}
