package io.fleetcast.simulators.fanout.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.simulators.fanout.load.ClientOptions;
import io.fleetcast.simulators.fanout.load.Subscribers;
import io.fleetcast.simulators.fanout.load.Transport;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's launchers start real brokers that accept MQTT clients, and stop them again. */
class BrokerLaunchersTest {

    @TempDir
    Path workDir;

    @Test
    void mosquitto_starts_on_its_port_accepts_clients_and_stops() throws Exception {
        starts_accepts_and_stops(new MosquittoLauncher());
    }

    @Test
    void nats_server_in_mqtt_mode_starts_accepts_clients_and_stops() throws Exception {
        starts_accepts_and_stops(new NatsLauncher());
    }

    private void starts_accepts_and_stops(BrokerLauncher launcher) throws Exception {
        Transport transport = Transport.create("launcher-test", 1);
        RunningBroker broker = LocalBrokers.start(launcher, workDir);
        try {
            assertThat(broker.version()).isNotBlank().isNotEqualTo("unknown");
            assertThat(broker.memory().rssBytes()).isPositive();
            ClientOptions options = ClientOptions.of(
                    new InetSocketAddress("127.0.0.1", broker.port()), MqttVersion.MQTT_3_1_1, "launcher");
            try (Subscribers clients = Subscribers.connect(transport, options, 3, 3, 100)) {
                assertThat(clients.connected()).isEqualTo(3);
            }
        } finally {
            broker.close();
            transport.close();
        }
        assertThat(broker.isAlive()).isFalse();
    }

    @Test
    void a_missing_binary_is_reported_not_thrown() {
        BrokerLauncher missing = new HiveMqLauncher(workDir.resolve("no-such-classpath"), "x");

        assertThat(missing.unavailableReason()).contains("classpath file missing");
    }

    @Test
    void jstat_used_columns_add_up_to_the_heap() {
        String out =
                """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT
                 0.0    0.0    0.0    0.0  4096.0   1024.0   2048.0    2048.5  1000.0  900.0  100.0   90.0      1    0.001     1    0.010     -        -    0.011
                """;

        assertThat(JstatGc.usedHeapBytes(out)).isEqualTo((long) ((1024.0 + 2048.5) * 1024));
    }
}
