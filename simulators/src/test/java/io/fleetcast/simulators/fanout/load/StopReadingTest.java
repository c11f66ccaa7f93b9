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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscribers told to stop reading (S7) against a real Mosquitto. */
class StopReadingTest {

    static final int SUBSCRIBERS = 50;
    static final int STALLED = 5;
    static final int MESSAGES = 200;

    @TempDir
    Path workDir;

    @Test
    void stalled_subscribers_read_nothing_while_the_others_get_every_message() throws Exception {
        Transport transport = Transport.create("stall-test", 2);
        try (RunningBroker broker = LocalBrokers.start(new MosquittoLauncher(), workDir)) {
            ClientOptions options = ClientOptions.of(
                    new InetSocketAddress("127.0.0.1", broker.port()), MqttVersion.MQTT_3_1_1, "stall");
            try (Subscribers subscribers = Subscribers.connect(transport, options, SUBSCRIBERS, 16, 1000);
                    Publisher publisher = Publisher.connect(transport, options, 32, 10_000)) {
                subscribers.subscribe(i -> List.of("test/stall"), MqttQoS.AT_MOST_ONCE);
                int stalled = subscribers.stopReading(SUBSCRIBERS - STALLED, STALLED);

                StepResult result = new StepRunner(publisher, subscribers, Duration.ofSeconds(3))
                        .run("test/stall", MqttQoS.AT_MOST_ONCE, 1000, 0, MESSAGES, SUBSCRIBERS - stalled);

                assertThat(stalled).isEqualTo(STALLED);
                assertThat(result.deliveries().measured()).isEqualTo((long) MESSAGES * (SUBSCRIBERS - STALLED));
                assertThat(result.lost()).isZero();
                // Reading on would have given them all 1,000 messages.
                assertThat(result.deliveries().stalledDeliveries()).isLessThan((long) MESSAGES * STALLED);
                assertThat(subscribers.isOpen(SUBSCRIBERS - 1)).isTrue();
            }
        } finally {
            transport.close();
        }
    }
}
