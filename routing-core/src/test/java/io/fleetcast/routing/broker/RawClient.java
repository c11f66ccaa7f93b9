package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * A bare MQTT client on a blocking socket, for what real client libraries will not do: close without
 * DISCONNECT, send malformed bytes, resend a PUBLISH with DUP, use a topic alias with an empty topic,
 * or never read. Packets are encoded and decoded by Netty's MQTT codec in an embedded channel; reads
 * happen only when a test asks for the next packet, so a client that is never asked never reads.
 */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel codec = new EmbeddedChannel(MqttEncoder.INSTANCE, new MqttDecoder(1024 * 1024));
    private final Queue<MqttMessage> pending = new ArrayDeque<>();
    private boolean eof;

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer socket receive buffer in bytes, 0 for the default; small makes a non-reader fill up fast */
    RawClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    // ---- sending ------------------------------------------------------------------------------------

    void send(MqttMessage message) throws IOException {
        assertThat(codec.writeOutbound(message)).isTrue();
        ByteBuf encoded;
        while ((encoded = codec.readOutbound()) != null) {
            try {
                byte[] bytes = new byte[encoded.readableBytes()];
                encoded.readBytes(bytes);
                out.write(bytes);
            } finally {
                encoded.release();
            }
        }
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** CONNECT without waiting for the CONNACK. */
    void sendConnect(MqttVersion version, String clientId, boolean clean) throws IOException {
        send(MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(clean)
                .build());
    }

    /** CONNECT, then the CONNACK. */
    MqttConnAckMessage connect(MqttVersion version, String clientId, boolean clean, int keepAlive) throws IOException {
        return connect(version, clientId, clean, keepAlive, builder -> {});
    }

    MqttConnAckMessage connect(
            MqttVersion version,
            String clientId,
            boolean clean,
            int keepAlive,
            Consumer<MqttMessageBuilders.ConnectBuilder> customize)
            throws IOException {
        MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(clean)
                .keepAlive(keepAlive);
        customize.accept(builder);
        send(builder.build());
        return expect(MqttMessageType.CONNACK);
    }

    void publish(String topic, int qos, int packetId, String payload) throws IOException {
        publish(
                topic,
                qos,
                false,
                false,
                packetId,
                payload.getBytes(StandardCharsets.UTF_8),
                MqttProperties.NO_PROPERTIES);
    }

    void publish(
            String topic, int qos, boolean dup, boolean retain, int packetId, byte[] payload, MqttProperties properties)
            throws IOException {
        send(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(topic, qos > 0 ? packetId : -1, properties),
                Unpooled.wrappedBuffer(payload)));
    }

    MqttSubAckMessage subscribe(int packetId, String filter, int qos) throws IOException {
        return subscribe(packetId, filter, MqttSubscriptionOption.onlyFromQos(MqttQoS.valueOf(qos)));
    }

    MqttSubAckMessage subscribe(int packetId, String filter, MqttSubscriptionOption option) throws IOException {
        return subscribe(packetId, filter, option, MqttProperties.NO_PROPERTIES);
    }

    MqttSubAckMessage subscribe(int packetId, String filter, MqttSubscriptionOption option, MqttProperties properties)
            throws IOException {
        send(MqttMessageBuilders.subscribe()
                .messageId(packetId)
                .addSubscription(filter, option)
                .properties(properties)
                .build());
        return expect(MqttMessageType.SUBACK);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP for a packet id, reason code 0. */
    void reply(MqttMessageType type, int packetId) throws IOException {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        send(new MqttMessage(
                new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(packetId)));
    }

    void disconnect() throws IOException {
        send(MqttMessageBuilders.disconnect().build());
    }

    void disconnect(int reasonCode, MqttProperties properties) throws IOException {
        send(MqttMessageBuilders.disconnect()
                .reasonCode((byte) reasonCode)
                .properties(properties)
                .build());
    }

    // ---- receiving ----------------------------------------------------------------------------------

    /** The next packet within the wait, or null when none came (or the connection closed). */
    MqttMessage poll(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] chunk = new byte[8192];
        while (pending.isEmpty() && !eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(left / 1_000_000, 200)));
            int read;
            try {
                read = in.read(chunk);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                eof = true; // reset by the broker
                break;
            }
            if (read < 0) {
                eof = true;
                break;
            }
            codec.writeInbound(Unpooled.copiedBuffer(chunk, 0, read));
            Object decoded;
            while ((decoded = codec.readInbound()) != null) {
                pending.add(detach((MqttMessage) decoded));
            }
        }
        return pending.poll();
    }

    /** The next packet, which must be of this type, within five seconds. */
    @SuppressWarnings("unchecked")
    <T extends MqttMessage> T expect(MqttMessageType type) throws IOException {
        MqttMessage next = poll(Duration.ofSeconds(5));
        assertThat(next).as("next packet, expected " + type).isNotNull();
        assertThat(next.decoderResult().isSuccess())
                .as("decoded " + next.decoderResult())
                .isTrue();
        assertThat(next.fixedHeader().messageType()).as(String.valueOf(next)).isEqualTo(type);
        return (T) next;
    }

    MqttPublishMessage expectPublish() throws IOException {
        return expect(MqttMessageType.PUBLISH);
    }

    /** Asserts that no packet arrives for the given time. */
    void expectNothing(Duration wait) throws IOException {
        MqttMessage next = poll(wait);
        assertThat(next).as("no packet expected").isNull();
    }

    /** True when the broker closed the connection within the wait; packets before the close are kept. */
    boolean awaitClosed(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!eof && System.nanoTime() < deadline) {
            poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            pending.clear();
        }
        return eof;
    }

    /** The DISCONNECT the broker sends before closing, then the close. */
    int expectDisconnect() throws IOException {
        MqttMessage disconnect = expect(MqttMessageType.DISCONNECT);
        assertThat(awaitClosed(Duration.ofSeconds(5))).isTrue();
        return reasonCode(disconnect);
    }

    static int reasonCode(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.reasonCode() & 0xFF;
        }
        if (header instanceof MqttReasonCodeAndPropertiesVariableHeader reason) {
            return reason.reasonCode() & 0xFF;
        }
        return 0;
    }

    static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    static String payload(MqttPublishMessage publish) {
        return publish.payload().toString(StandardCharsets.UTF_8);
    }

    /** Copies a decoded PUBLISH's payload to the heap so tests need not release anything. */
    private static MqttMessage detach(MqttMessage message) {
        if (message instanceof MqttPublishMessage publish) {
            ByteBuf copy = Unpooled.copiedBuffer(publish.payload());
            MqttPublishMessage detached = publish.replace(copy);
            publish.release();
            return detached;
        }
        return message;
    }

    /** Closes the socket without DISCONNECT: to the broker the connection is lost. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        codec.finishAndReleaseAll();
    }
}
