package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A subscriber that never reads costs the others nothing: it loses QoS 0 messages and then its connection. */
class SlowConsumerTest {

    private static final String PAYLOAD = "x".repeat(4096);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void drops_for_and_then_cuts_off_a_subscriber_that_never_reads() throws Exception {
        fixture.start(BrokerConfig.builder()
                .slowConsumerMillis(500)
                .maxPendingWriteBytes(4 * 1024 * 1024)
                .build());
        RawClient stalled = fixture.raw(4096);
        stalled.connect(MqttVersion.MQTT_3_1_1, "stalled", true, 0);
        stalled.subscribe(1, "flood/#", 0);
        Paho3 healthy = fixture.v3("healthy");
        healthy.connect(true);
        healthy.subscribe("flood/#", 0);
        AtomicInteger received = new AtomicInteger();
        healthy.client.setCallback(new CountingCallback(received));
        Paho3 publisher = fixture.v3("publisher");
        publisher.connect(true);

        // Paced below the broker's packet rate limit; stops once the stalled client is cut off.
        int sent = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (fixture.stats().slowConsumers.sum() == 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < 20; i++) {
                publisher.publish("flood/t", PAYLOAD, 0, false);
                sent++;
            }
            Await.sleep(Duration.ofMillis(10));
        }
        int total = sent;

        assertThat(fixture.stats().slowConsumers.sum())
                .as("stalled client cut off")
                .isEqualTo(1);
        assertThat(fixture.stats().droppedSlow.sum()).isPositive();
        assertThat(stalled.awaitClosed(Duration.ofSeconds(10))).isTrue();
        assertThat(publisher.client.isConnected())
                .as("the publisher is never blocked or cut")
                .isTrue();
        Await.until("healthy subscriber got all " + total, () -> received.get() == total);
        assertThat(healthy.client.isConnected()).isTrue();
    }

    private record CountingCallback(AtomicInteger count) implements org.eclipse.paho.client.mqttv3.MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            count.incrementAndGet();
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    }
}
