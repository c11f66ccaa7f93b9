package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.routing.InterestListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and random packet sequences, well-formed and broken, from hundreds of connections,
 * while two well-behaved clients exchange messages: the broker must not crash, must close what it
 * cannot parse, must leak no buffer (paranoid leak detection, see {@link LeakRecorder}), and the
 * well-behaved clients must not notice. Bounded: a fixed number of connections from a printed seed,
 * so a failure can be replayed.
 */
class GatewayFuzzTest {

    private static final int FUZZ_CONNECTIONS = 300;

    private Broker broker;
    private BrokerListener listener;

    @BeforeEach
    void start() throws Exception {
        BrokerConfig config = BrokerConfig.builder()
                .maxPacketBytes(8 * 1024)
                .connectTimeoutMillis(2_000)
                .slowConsumerMillis(500)
                .maxPendingWriteBytes(256 * 1024)
                .maxPacketsPerSecond(2_000)
                .build();
        broker = new Broker(config, OpenPolicy.AUTHENTICATOR, BrokerEvents.NONE, InterestListener.NONE);
        listener = BrokerListener.start(broker, 0, 2);
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    @Test
    void survives_random_input_without_leaks_or_harm_to_others() throws Exception {
        long seed = System.nanoTime();
        System.out.println("GatewayFuzzTest seed=" + seed);
        Random random = new Random(seed);

        String uri = "tcp://127.0.0.1:" + listener.port();
        MqttClient subscriber = new MqttClient(uri, "healthy-sub", new MemoryPersistence());
        MqttClient publisher = new MqttClient(uri, "healthy-pub", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setKeepAliveInterval(30);
        subscriber.connect(options);
        publisher.connect(options);
        Set<String> received = ConcurrentHashMap.newKeySet();
        subscriber.subscribe(
                "healthy/t",
                1,
                (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));

        int sent = 0;
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < FUZZ_CONNECTIONS; i++) {
            Socket socket = fuzz(random);
            if (socket != null) {
                open.add(socket);
            }
            if (open.size() > 20) {
                closeQuietly(open.remove(random.nextInt(open.size())));
            }
            if (i % 3 == 0) {
                publisher.publish("healthy/t", ("m" + sent++).getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        open.forEach(GatewayFuzzTest::closeQuietly);

        int expected = sent;
        Await.until("every healthy message", Duration.ofSeconds(20), () -> received.size() == expected);
        assertThat(received).hasSize(expected);
        assertThat(subscriber.isConnected()).isTrue();
        assertThat(publisher.isConnected()).isTrue();
        Await.until("only the healthy clients", Duration.ofSeconds(20), () -> broker.connectionCount() == 2);
        assertThat(broker.connectionCount())
                .as("only the healthy clients remain")
                .isEqualTo(2);
        subscriber.disconnect();
        publisher.disconnect();
        subscriber.close();
        publisher.close();

        assertThat(leaksAfterGc()).as("buffers leaked (seed %d)", seed).isEmpty();
    }

    /** One fuzzing connection; returns it when left open, else null. */
    private Socket fuzz(Random random) throws IOException {
        Socket socket = new Socket("127.0.0.1", listener.port());
        socket.setSoLinger(true, 0);
        OutputStream out = socket.getOutputStream();
        try {
            switch (random.nextInt(6)) {
                case 0 -> out.write(randomBytes(random, 1 + random.nextInt(2048)));
                case 1 -> {
                    out.write(connect(random));
                    out.write(randomBytes(random, 1 + random.nextInt(512)));
                }
                case 2 -> {
                    out.write(connect(random));
                    for (int i = 0; i < 1 + random.nextInt(30); i++) {
                        out.write(mutate(random, packet(random)));
                    }
                }
                case 3 -> {
                    out.write(connect(random));
                    for (int i = 0; i < 1 + random.nextInt(30); i++) {
                        out.write(packet(random));
                    }
                }
                case 4 -> {
                    // Oversized remaining length, truncated packets.
                    out.write(connect(random));
                    out.write(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x00});
                }
                default -> {
                    // Subscribes to everything and never reads: a slow consumer.
                    out.write(connect(random));
                    out.write(encode(MqttMessageBuilders.subscribe()
                            .messageId(1)
                            .addSubscription(MqttQoS.AT_MOST_ONCE, "#")
                            .build()));
                }
            }
            out.flush();
        } catch (IOException closedByBroker) {
            closeQuietly(socket);
            return null;
        }
        if (random.nextBoolean()) {
            closeQuietly(socket);
            return null;
        }
        return socket;
    }

    private static byte[] connect(Random random) {
        int version = random.nextInt(10) == 0 ? 5 : 4;
        if (version == 5) {
            // CONNECT, MQTT 5, clean start, keep alive 30, no properties, client id "f".
            return new byte[] {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 30, 0, 0, 1, 'f'};
        }
        return encode(MqttMessageBuilders.connect()
                .clientId(random.nextBoolean() ? "fuzz-" + random.nextInt(50) : "")
                .cleanSession(true)
                .keepAlive(30)
                .protocolVersion(io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1)
                .build());
    }

    private static final String[] TOPICS = {
        "fuzz/t", "a/b", "$SYS/x", "a/+/c", "#", "", "a//b", "\u0000", "x/\uD83D\uDE00"
    };

    private static byte[] packet(Random random) {
        String topic = TOPICS[random.nextInt(TOPICS.length)];
        int id = random.nextInt(70_000) & 0xFFFF;
        MqttQoS qos = MqttQoS.valueOf(random.nextInt(3));
        return switch (random.nextInt(8)) {
            case 0, 1 -> encode(MqttMessageBuilders.publish()
                    .topicName(topic.isEmpty() || topic.contains("+") || topic.contains("#") ? "fz/" + id : topic)
                    .qos(qos)
                    .messageId(qos == MqttQoS.AT_MOST_ONCE ? 0 : Math.max(1, id))
                    .retained(random.nextInt(5) == 0)
                    .payload(Unpooled.wrappedBuffer(randomBytes(random, random.nextInt(300))))
                    .build());
            case 2 -> encode(MqttMessageBuilders.subscribe()
                    .messageId(Math.max(1, id))
                    .addSubscription(qos, topic.isEmpty() ? "x" : topic)
                    .build());
            case 3 -> encode(MqttMessageBuilders.unsubscribe()
                    .messageId(Math.max(1, id))
                    .addTopicFilter(topic.isEmpty() ? "x" : topic)
                    .build());
            case 4 -> encode(reply(MqttMessageType.PUBREL, Math.max(1, id)));
            case 5 -> encode(
                    reply(random.nextBoolean() ? MqttMessageType.PUBACK : MqttMessageType.PUBCOMP, Math.max(1, id)));
            case 6 -> new byte[] {(byte) 0xC0, 0}; // PINGREQ
            default -> randomBytes(random, 1 + random.nextInt(16));
        };
    }

    private static MqttMessage reply(MqttMessageType type, int id) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(id));
    }

    private static byte[] mutate(Random random, byte[] packet) {
        byte[] copy = packet.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0 && copy.length > 1) {
            byte[] truncated = new byte[random.nextInt(copy.length)];
            System.arraycopy(copy, 0, truncated, 0, truncated.length);
            return truncated;
        }
        return copy;
    }

    private static byte[] encode(MqttMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.writeOutbound(message);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            buf.release();
            bytes.writeBytes(chunk);
        }
        channel.finishAndReleaseAll();
        return bytes.toByteArray();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Leaks are found when a collected buffer's tracker is polled by a later allocation. */
    private static List<String> leaksAfterGc() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 1000; i++) {
                ByteBufAllocator.DEFAULT.directBuffer(16).release();
                ByteBufAllocator.DEFAULT.heapBuffer(16).release();
            }
        }
        return LeakRecorder.leaks();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed by the broker
        }
    }
}
