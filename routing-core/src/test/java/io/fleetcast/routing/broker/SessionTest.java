package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Persistent sessions of MQTT 3.1.1 and 5: presence, offline queues, expiry, Clean Start, takeover. */
class SessionTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void keeps_subscriptions_and_queues_qos1_and_qos2_for_an_offline_mqtt3_client() throws Exception {
        Paho3 device = fixture.v3("device");
        assertThat(device.connect(false)).isFalse();
        device.subscribe("s/#", 2);
        device.disconnect();
        device.close();

        Paho3 publisher = publisher();
        publisher.publish("s/0", "at-most-once", 0, false);
        publisher.publish("s/1", "at-least-once", 1, false);
        publisher.publish("s/2", "exactly-once", 2, false);

        Paho3 back = fixture.v3("device");
        assertThat(back.connect(false)).as("session present").isTrue();
        assertThat(List.of(back.next().text(), back.next().text()))
                .containsExactly("s/1:at-least-once", "s/2:exactly-once");
        back.expectNothing(QUIET);
        publisher.publish("s/live", "still subscribed", 1, false);
        assertThat(back.next().text()).isEqualTo("s/live:still subscribed");
    }

    @Test
    void keeps_subscriptions_and_queues_for_an_offline_mqtt5_client_within_session_expiry() throws Exception {
        Paho5 device = fixture.v5("device");
        assertThat(device.connect(true, 60)).isFalse();
        device.subscribe("s/#", 1);
        device.disconnect();
        device.close();

        Paho3 publisher = publisher();
        publisher.publish("s/0", "at-most-once", 0, false);
        publisher.publish("s/1", "at-least-once", 1, false);

        Paho5 back = fixture.v5("device");
        assertThat(back.connect(false, 60)).isTrue();
        assertThat(back.next().text()).isEqualTo("s/1:at-least-once");
        back.expectNothing(QUIET);
    }

    @Test
    void bounds_the_offline_queue_and_counts_what_it_drops() throws Exception {
        fixture.start(BrokerConfig.builder().maxQueuedMessages(3).build());
        Paho3 device = fixture.v3("device");
        device.connect(false);
        device.subscribe("s/#", 1);
        device.disconnect();
        device.close();

        Paho3 publisher = publisher();
        for (int i = 0; i < 5; i++) {
            publisher.publish("s/t", "m" + i, 1, false);
        }
        Await.until("two dropped", () -> fixture.stats().droppedQueueFull.sum() == 2);

        Paho3 back = fixture.v3("device");
        back.connect(false);
        assertThat(List.of(
                        back.next().payload(),
                        back.next().payload(),
                        back.next().payload()))
                .containsExactly("m0", "m1", "m2");
        back.expectNothing(QUIET);
    }

    @Test
    void forgets_the_session_once_it_expires() throws Exception {
        Paho5 device = fixture.v5("device");
        device.connect(true, 1);
        device.subscribe("s/#", 1);
        device.disconnect();
        device.close();
        Await.until("session expired", () -> fixture.broker().sessionCount() == 0);

        Paho3 publisher = publisher();
        publisher.publish("s/t", "after expiry", 1, false);
        Paho5 back = fixture.v5("device");
        assertThat(back.connect(false, 60)).as("session present").isFalse();
        back.expectNothing(QUIET);
    }

    @Test
    void takes_a_new_session_expiry_from_disconnect() throws Exception {
        Paho5 device = fixture.v5("device");
        device.connect(true, 300);
        device.subscribe("s/#", 1);
        MqttProperties shorter = new MqttProperties();
        shorter.setSessionExpiryInterval(0L);
        device.disconnect(0, shorter);
        device.close();
        Await.until("session ended with the connection", () -> fixture.broker().sessionCount() == 0);

        Paho5 again = fixture.v5("device");
        assertThat(again.connect(false, 300)).isFalse();
    }

    @Test
    void drops_the_old_session_on_clean_start() throws Exception {
        Paho5 device = fixture.v5("device");
        device.connect(true, 60);
        device.subscribe("s/#", 1);
        device.disconnect();
        device.close();
        Paho3 publisher = publisher();
        publisher.publish("s/t", "queued", 1, false);

        Paho5 fresh = fixture.v5("device");
        assertThat(fresh.connect(true, 60)).as("session present").isFalse();
        fresh.expectNothing(QUIET);
        publisher.publish("s/t", "after clean start", 1, false);
        fresh.expectNothing(QUIET);
    }

    @Test
    void hands_the_session_to_a_second_connection_with_the_same_client_id() throws Exception {
        Paho5 first = fixture.v5("device");
        first.connect(true, 60);
        first.subscribe("s/#", 1);

        Paho5 second = fixture.v5("device");
        assertThat(second.connect(false, 60)).as("session present").isTrue();
        assertThat(first.awaitDisconnectedBy()).as("Session taken over").isEqualTo(0x8E);

        Paho3 publisher = publisher();
        publisher.publish("s/t", "to the new connection", 1, false);
        assertThat(second.next().payload()).isEqualTo("to the new connection");
        first.expectNothing(QUIET);
        assertThat(fixture.broker().connectionCount()).isEqualTo(2); // second and the publisher
    }

    @Test
    void cuts_off_an_mqtt3_client_whose_session_is_taken() throws Exception {
        Paho3 first = fixture.v3("device");
        first.connect(false);
        first.subscribe("s/#", 1);
        Paho3 second = fixture.v3("device");
        assertThat(second.connect(false)).isTrue();
        Await.until("first connection lost", first::lost);

        publisher().publish("s/t", "to the new connection", 1, false);
        assertThat(second.next().payload()).isEqualTo("to the new connection");
    }

    @Test
    void starts_afresh_when_a_persistent_connection_takes_over_a_session_that_ends_with_its_connection()
            throws Exception {
        Paho3 first = fixture.v3("device");
        first.connect(true); // Clean Session: the session ends with this connection
        first.subscribe("old/#", 1);
        Paho3 second = fixture.v3("device");
        assertThat(second.connect(false)).as("session present").isFalse();
        Await.until("first connection lost", first::lost);
        second.subscribe("s/#", 1);

        Paho3 publisher = publisher();
        publisher.publish("old/t", "to the ended session", 1, false);
        publisher.publish("s/t", "to the new session", 1, false);
        assertThat(second.next().text()).isEqualTo("s/t:to the new session");
        second.expectNothing(QUIET);
        assertThat(fixture.broker().client("device")).isNotNull();
        assertThat(fixture.broker().sessionCount()).isEqualTo(2); // device and the publisher
    }

    @Test
    void loses_no_qos1_message_while_a_persistent_client_keeps_reconnecting() throws Exception {
        java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Paho3 device = fixture.v3("device");
        device.connect(false);
        device.subscribe("flow/#", 1);
        Paho3 publisher = publisher();
        int total = 300;
        Thread publishing = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    publisher.publish("flow/t", "m" + i, 1, false);
                    if (i % 10 == 0) {
                        Await.sleep(Duration.ofMillis(5));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        publishing.start();
        for (int round = 0; round < 4; round++) {
            Await.sleep(Duration.ofMillis(60));
            device.kill(); // unacknowledged deliveries stay in the session
            device.close();
            drainInto(device, received); // what arrived (and was acknowledged) before the break
            device = fixture.v3("device");
            assertThat(device.connect(false)).isTrue();
        }
        publishing.join(20_000);
        Paho3 last = device;
        Await.until("all " + total + " messages received", () -> {
            drainInto(last, received);
            return received.size() == total;
        });
    }

    @Test
    void leaves_one_connection_when_two_connect_at_once_with_the_same_client_id() throws Exception {
        for (int round = 0; round < 40; round++) {
            boolean clean = round % 2 == 0; // both ways of opening: resume and Clean Session
            RawClient a = fixture.raw();
            RawClient b = fixture.raw();
            a.sendConnect(MqttVersion.MQTT_3_1_1, "twin", clean);
            b.sendConnect(MqttVersion.MQTT_3_1_1, "twin", clean);
            int r = round;
            try {
                Await.until(
                        "one connection of the twin left",
                        () -> fixture.broker().connectionCount() == 1);
            } catch (AssertionError e) {
                throw new AssertionError(
                        "round " + r + ": " + fixture.broker().connectionCount() + " connections, a got "
                                + a.poll(Duration.ofMillis(100)) + ", b got " + b.poll(Duration.ofMillis(100)),
                        e);
            }
            a.close();
            b.close();
            Await.until("no connection left", () -> fixture.broker().connectionCount() == 0);
        }
    }

    private static void drainInto(Paho3 client, java.util.Set<String> into) {
        Delivery delivery;
        while ((delivery = client.poll()) != null) {
            into.add(delivery.payload());
        }
    }

    private Paho3 publisher() throws Exception {
        Paho3 publisher = fixture.v3("publisher");
        publisher.connect(true);
        return publisher;
    }
}
