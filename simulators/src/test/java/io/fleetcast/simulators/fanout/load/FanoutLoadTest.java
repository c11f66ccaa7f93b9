package io.fleetcast.simulators.fanout.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.simulators.fanout.broker.LocalBrokers;
import io.fleetcast.simulators.fanout.broker.MosquittoLauncher;
import io.fleetcast.simulators.fanout.broker.RunningBroker;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real Mosquitto: 50 subscribers of one topic, one publisher. */
class FanoutLoadTest {

    static final int SUBSCRIBERS = 50;
    static final String TOPIC = "test/fanout";

    @TempDir
    static Path workDir;

    static RunningBroker broker;
    static Transport transport;
    static Subscribers subscribers;
    static Publisher publisher;
    static StepRunner steps;

    @BeforeAll
    static void start() throws Exception {
        broker = LocalBrokers.start(new MosquittoLauncher(), workDir);
        transport = Transport.create("fanout-test", 2);
        ClientOptions options =
                ClientOptions.of(new InetSocketAddress("127.0.0.1", broker.port()), MqttVersion.MQTT_3_1_1, "test");
        subscribers = Subscribers.connect(transport, options, SUBSCRIBERS, 16, 1000);
        assertThat(subscribers.connected()).isEqualTo(SUBSCRIBERS);
        assertThat(subscribers.subscribe(i -> List.of(TOPIC), MqttQoS.AT_LEAST_ONCE))
                .isZero();
        publisher = Publisher.connect(transport, options, 32, 10_000);
        steps = new StepRunner(publisher, subscribers, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (subscribers != null) {
            subscribers.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void every_subscriber_gets_every_qos0_message_once_with_its_latency_recorded() throws Exception {
        StepResult result = steps.run(TOPIC, MqttQoS.AT_MOST_ONCE, 1000, 50, 300, SUBSCRIBERS);

        assertThat(result.sent().sent()).isEqualTo(350);
        assertThat(result.deliveries().measured()).isEqualTo(300L * SUBSCRIBERS);
        assertThat(result.deliveries().total()).isEqualTo(350L * SUBSCRIBERS);
        assertThat(result.lost()).isZero();
        assertThat(result.deliveries().duplicates()).isZero();
        assertThat(result.deliveries().percentileMillis(99)).isPositive();
    }

    @Test
    void qos1_messages_are_acknowledged_both_ways_and_none_lost() throws Exception {
        StepResult result = steps.run(TOPIC, MqttQoS.AT_LEAST_ONCE, 500, 20, 200, SUBSCRIBERS);

        assertThat(result.sent().unacknowledged()).isZero();
        assertThat(result.sent().skipped()).isZero();
        assertThat(result.deliveries().measured()).isEqualTo(200L * SUBSCRIBERS);
        assertThat(result.lost()).isZero();
        assertThat(result.deliveries().duplicates()).isZero();
    }

    @Test
    void a_single_burst_reaches_every_subscriber() throws Exception {
        StepResult result = steps.run(TOPIC, MqttQoS.AT_MOST_ONCE, 1, 0, 1, SUBSCRIBERS);

        assertThat(result.deliveries().measured()).isEqualTo(SUBSCRIBERS);
        assertThat(result.deliveries().lastArrivalNanos())
                .isGreaterThanOrEqualTo(result.sent().startNanos());
    }

    @Test
    void mqtt5_clients_connect_subscribe_and_receive_too() throws Exception {
        ClientOptions v5 =
                ClientOptions.of(new InetSocketAddress("127.0.0.1", broker.port()), MqttVersion.MQTT_5, "test-v5");
        try (Subscribers five = Subscribers.connect(transport, v5, 5, 5, 1000);
                Publisher publisher5 = Publisher.connect(transport, v5, 8, 100)) {
            assertThat(five.connected()).isEqualTo(5);
            assertThat(five.subscribe(i -> List.of("test/v5"), MqttQoS.AT_LEAST_ONCE))
                    .isZero();

            StepResult result = new StepRunner(publisher5, five, Duration.ofSeconds(5))
                    .run("test/v5", MqttQoS.AT_LEAST_ONCE, 200, 0, 50, 5);

            assertThat(result.deliveries().measured()).isEqualTo(50L * 5);
            assertThat(result.sent().unacknowledged()).isZero();
        }
    }
}
