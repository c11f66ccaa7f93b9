package io.fleetcast.platform.cluster;

import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.SessionSnapshot;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary frames nodes exchange over NATS. A forwarded message's topic travels in the subject, so
 * its frame holds only what the subject does not: sender, sequence, QoS, RETAIN, expiry, the MQTT 5
 * properties and the payload. A session snapshot travels whole. Each frame starts with a version byte
 * so that nodes of two releases can tell they disagree rather than misread each other.
 */
final class Frames {

    static final byte VERSION = 1;

    private static final byte INTEGER = 1;
    private static final byte STRING = 2;
    private static final byte BINARY = 3;
    private static final byte USER = 4;

    private Frames() {}

    /** A message as forwarded: who sent it (node incarnation and sequence) and the message itself. */
    record Forwarded(long sender, long sequence, Message message) {}

    static byte[] message(long sender, long sequence, Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + message.payload().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(sender);
            out.writeLong(sequence);
            writeBody(out, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Forwarded readMessage(String topic, byte[] frame) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame))) {
            checkVersion(in);
            long sender = in.readLong();
            long sequence = in.readLong();
            return new Forwarded(sender, sequence, readBody(in, topic));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed message frame", e);
        }
    }

    /** A session's state, or an empty frame for "no session here". */
    static byte[] snapshot(SessionSnapshot snapshot) {
        if (snapshot == null) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, snapshot.clientId());
            out.writeLong(snapshot.expirySeconds());
            out.writeInt(snapshot.subscriptions().size());
            for (SessionSnapshot.SubscriptionEntry entry : snapshot.subscriptions()) {
                writeString(out, entry.filter());
                SubscriptionOptions options = entry.options();
                out.writeByte(options.qos());
                out.writeBoolean(options.noLocal());
                out.writeBoolean(options.retainAsPublished());
                out.writeInt(options.subscriptionId());
            }
            out.writeInt(snapshot.queued().size());
            for (SessionSnapshot.QueuedEntry entry : snapshot.queued()) {
                writeString(out, entry.message().topic());
                writeBody(out, entry.message());
                out.writeByte(entry.qos());
                out.writeBoolean(entry.retain());
                out.writeInt(entry.subscriptionId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SessionSnapshot readSnapshot(byte[] frame) {
        if (frame == null || frame.length == 0) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame))) {
            checkVersion(in);
            String clientId = readString(in);
            long expiry = in.readLong();
            int subscriptionCount = in.readInt();
            List<SessionSnapshot.SubscriptionEntry> subscriptions = new ArrayList<>(subscriptionCount);
            for (int i = 0; i < subscriptionCount; i++) {
                String filter = readString(in);
                int qos = in.readByte();
                boolean noLocal = in.readBoolean();
                boolean retainAsPublished = in.readBoolean();
                int subscriptionId = in.readInt();
                subscriptions.add(new SessionSnapshot.SubscriptionEntry(
                        filter, SubscriptionOptions.of(qos, noLocal, retainAsPublished, subscriptionId)));
            }
            int queuedCount = in.readInt();
            List<SessionSnapshot.QueuedEntry> queued = new ArrayList<>(queuedCount);
            for (int i = 0; i < queuedCount; i++) {
                String topic = readString(in);
                Message message = readBody(in, topic);
                int qos = in.readByte();
                boolean retain = in.readBoolean();
                int subscriptionId = in.readInt();
                queued.add(new SessionSnapshot.QueuedEntry(message, qos, retain, subscriptionId));
            }
            return new SessionSnapshot(clientId, expiry, subscriptions, queued);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed session frame", e);
        }
    }

    /** Retained messages for a starting node: count, then topic and message of each. */
    static byte[] retainedBatch(List<Message> messages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(messages.size());
            for (Message message : messages) {
                writeString(out, message.topic());
                writeBody(out, message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<Message> readRetainedBatch(byte[] frame) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame))) {
            checkVersion(in);
            int count = in.readInt();
            List<Message> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = readString(in);
                messages.add(readBody(in, topic));
            }
            return messages;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed retained frame", e);
        }
    }

    private static void writeBody(DataOutputStream out, Message message) throws IOException {
        out.writeByte(message.qos() | (message.retain() ? 4 : 0));
        out.writeLong(message.expiresAtMillis());
        writeProperties(out, message.properties());
        out.writeInt(message.payload().length);
        out.write(message.payload());
    }

    private static Message readBody(DataInputStream in, String topic) throws IOException {
        int flags = in.readByte();
        long expiresAt = in.readLong();
        MqttProperties properties = readProperties(in);
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new Message(topic, flags & 3, (flags & 4) != 0, payload, properties, expiresAt, null);
    }

    private static void writeProperties(DataOutputStream out, MqttProperties properties) throws IOException {
        if (properties.isEmpty()) {
            out.writeShort(0);
            return;
        }
        List<? extends MqttProperty> all = new ArrayList<>(properties.listAll());
        out.writeShort(all.size());
        for (MqttProperty property : all) {
            out.writeByte(property.propertyId());
            if (property instanceof IntegerProperty integer) {
                out.writeByte(INTEGER);
                out.writeInt(integer.value());
            } else if (property instanceof StringProperty string) {
                out.writeByte(STRING);
                writeString(out, string.value());
            } else if (property instanceof BinaryProperty binary) {
                out.writeByte(BINARY);
                out.writeInt(binary.value().length);
                out.write(binary.value());
            } else if (property instanceof UserProperties user) {
                writeUser(out, user.value());
            } else if (property instanceof UserProperty user) {
                writeUser(out, List.of(user.value()));
            } else {
                throw new IllegalArgumentException("unexpected MQTT property " + property.getClass());
            }
        }
    }

    private static void writeUser(DataOutputStream out, List<StringPair> pairs) throws IOException {
        out.writeByte(USER);
        out.writeInt(pairs.size());
        for (StringPair pair : pairs) {
            writeString(out, pair.key);
            writeString(out, pair.value);
        }
    }

    private static MqttProperties readProperties(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        if (count == 0) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties properties = new MqttProperties();
        for (int i = 0; i < count; i++) {
            int id = in.readUnsignedByte();
            byte type = in.readByte();
            switch (type) {
                case INTEGER -> properties.add(new IntegerProperty(id, in.readInt()));
                case STRING -> properties.add(new StringProperty(id, readString(in)));
                case BINARY -> {
                    byte[] value = new byte[in.readInt()];
                    in.readFully(value);
                    properties.add(new BinaryProperty(id, value));
                }
                case USER -> {
                    int pairs = in.readInt();
                    List<StringPair> values = new ArrayList<>(pairs);
                    for (int p = 0; p < pairs; p++) {
                        values.add(new StringPair(readString(in), readString(in)));
                    }
                    properties.add(new UserProperties(values));
                }
                default -> throw new IOException("unknown property type " + type);
            }
        }
        return properties;
    }

    // Not writeUTF: a topic may be up to 65,535 UTF-8 bytes, more than writeUTF's modified UTF-8 allows.
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void checkVersion(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("frame version " + version + ", this node speaks " + VERSION);
        }
    }
}
