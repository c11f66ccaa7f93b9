package io.fleetcast.routing.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes outgoing PUBLISH packets of one message, bypassing the generic encoder so the parts shared
 * by every delivery are computed once: the topic's UTF-8 bytes and the forwarded MQTT 5 properties.
 * What differs per delivery (QoS, packet id, DUP, RETAIN, message expiry left, subscription
 * identifier) goes into a small header written in front of the shared payload.
 *
 * <p>Not thread-safe to build, immutable once built: one instance serves every event loop of a fan-out.
 */
final class PublishEncoder {

    private static final byte[] NO_BYTES = new byte[0];

    private final Message message;
    private final byte[] topic;
    /** The forwarded properties, encoded without their length prefix. */
    private final byte[] properties;

    PublishEncoder(Message message) {
        this.message = message;
        this.topic = message.topic().getBytes(StandardCharsets.UTF_8);
        this.properties = encodeForwarded(message.properties());
    }

    Message message() {
        return message;
    }

    /**
     * The length of the whole packet as it goes on the wire, to compare with a client's Maximum Packet
     * Size.
     */
    int packetLength(int qos, boolean v5, int subscriptionId, long expirySeconds) {
        int remaining = remainingLength(qos, v5, subscriptionId, expirySeconds);
        return 1 + varIntLength(remaining) + remaining;
    }

    /** Fixed and variable header only; the payload follows as its own buffer. */
    ByteBuf header(
            ByteBufAllocator alloc,
            int qos,
            boolean dup,
            boolean retain,
            int packetId,
            boolean v5,
            int subscriptionId,
            long expirySeconds) {
        int remaining = remainingLength(qos, v5, subscriptionId, expirySeconds);
        int headerLength = 1 + varIntLength(remaining) + remaining - message.payload().length;
        ByteBuf buf = alloc.directBuffer(headerLength);
        writeHeader(buf, qos, dup, retain, packetId, v5, subscriptionId, expirySeconds, remaining);
        return buf;
    }

    /** The whole packet in one buffer: what a QoS 0 fan-out encodes once and writes to every subscriber. */
    ByteBuf frame(ByteBufAllocator alloc, boolean retain, boolean v5, long expirySeconds) {
        int remaining = remainingLength(0, v5, 0, expirySeconds);
        ByteBuf buf = alloc.directBuffer(1 + varIntLength(remaining) + remaining);
        writeHeader(buf, 0, false, retain, 0, v5, 0, expirySeconds, remaining);
        buf.writeBytes(message.payload());
        return buf;
    }

    private void writeHeader(
            ByteBuf buf,
            int qos,
            boolean dup,
            boolean retain,
            int packetId,
            boolean v5,
            int subscriptionId,
            long expirySeconds,
            int remaining) {
        buf.writeByte(0x30 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 0x01 : 0));
        writeVarInt(buf, remaining);
        buf.writeShort(topic.length);
        buf.writeBytes(topic);
        if (qos > 0) {
            buf.writeShort(packetId);
        }
        if (v5) {
            writeVarInt(buf, propertiesLength(subscriptionId, expirySeconds));
            if (expirySeconds >= 0) {
                buf.writeByte(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value());
                buf.writeInt((int) Math.min(expirySeconds, 0xFFFFFFFFL));
            }
            if (subscriptionId > 0) {
                buf.writeByte(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value());
                writeVarInt(buf, subscriptionId);
            }
            buf.writeBytes(properties);
        }
    }

    private int remainingLength(int qos, boolean v5, int subscriptionId, long expirySeconds) {
        int length = 2 + topic.length + (qos > 0 ? 2 : 0) + message.payload().length;
        if (v5) {
            int props = propertiesLength(subscriptionId, expirySeconds);
            length += varIntLength(props) + props;
        }
        return length;
    }

    private int propertiesLength(int subscriptionId, long expirySeconds) {
        int length = properties.length;
        if (expirySeconds >= 0) {
            length += 5;
        }
        if (subscriptionId > 0) {
            length += 1 + varIntLength(subscriptionId);
        }
        return length;
    }

    /** Encodes the properties a subscriber gets as published; the others are per delivery or per hop. */
    private static byte[] encodeForwarded(MqttProperties props) {
        if (props == MqttProperties.NO_PROPERTIES || props.isEmpty()) {
            return NO_BYTES;
        }
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(64);
        for (MqttProperty<?> property : props.listAll()) {
            int id = property.propertyId();
            if (id == MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()) {
                buf.writeByte(id);
                buf.writeByte((Integer) property.value());
            } else if (id == MqttPropertyType.CONTENT_TYPE.value() || id == MqttPropertyType.RESPONSE_TOPIC.value()) {
                buf.writeByte(id);
                writeString(buf, (String) property.value());
            } else if (id == MqttPropertyType.CORRELATION_DATA.value()) {
                byte[] data = (byte[]) property.value();
                buf.writeByte(id);
                buf.writeShort(data.length);
                buf.writeBytes(data);
            } else if (id == MqttPropertyType.USER_PROPERTY.value()) {
                @SuppressWarnings("unchecked")
                List<StringPair> pairs = (List<StringPair>) property.value();
                for (StringPair pair : pairs) {
                    buf.writeByte(id);
                    writeString(buf, pair.key);
                    writeString(buf, pair.value);
                }
            }
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private static void writeString(ByteBuf buf, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buf.writeShort(bytes.length);
        buf.writeBytes(bytes);
    }

    static int varIntLength(int value) {
        int length = 1;
        while (value > 127) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    static void writeVarInt(ByteBuf buf, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            buf.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }
}
