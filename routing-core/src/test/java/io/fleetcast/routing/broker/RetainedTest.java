package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retained messages: storing, replacing, deleting, wildcard lookup and the MQTT 5 subscription options. */
class RetainedTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void delivers_the_stored_message_on_subscribe_with_retain_set() throws Exception {
        Paho3 publisher = connected3("pub");
        publisher.publish("r/a", "kept", 1, true);
        Await.until("retained", () -> fixture.broker().retained().size() == 1);

        Paho3 subscriber = connected3("sub");
        subscriber.subscribe("r/a", 1);
        Delivery delivery = subscriber.next();
        assertThat(delivery.text()).isEqualTo("r/a:kept");
        assertThat(delivery.retained()).isTrue();
        assertThat(delivery.qos()).isEqualTo(1);
    }

    @Test
    void clears_retain_on_live_deliveries_to_mqtt3_subscribers() throws Exception {
        Paho3 subscriber = connected3("sub");
        subscriber.subscribe("r/a", 1);
        Paho3 publisher = connected3("pub");
        publisher.publish("r/a", "live", 1, true);
        Delivery delivery = subscriber.next();
        assertThat(delivery.payload()).isEqualTo("live");
        assertThat(delivery.retained()).isFalse();
    }

    @Test
    void replaces_and_deletes_the_retained_message() throws Exception {
        Paho3 publisher = connected3("pub");
        publisher.publish("r/a", "old", 1, true);
        publisher.publish("r/a", "new", 1, true);
        Paho3 first = connected3("first");
        first.subscribe("r/a", 1);
        assertThat(first.next().payload()).isEqualTo("new");
        first.expectNothing(QUIET);

        publisher.publish("r/a", "", 1, true);
        Await.until(
                "retained message deleted", () -> fixture.broker().retained().size() == 0);
        Paho3 second = connected3("second");
        second.subscribe("r/a", 1);
        second.expectNothing(QUIET);
    }

    @Test
    void finds_retained_messages_for_wildcard_filters() throws Exception {
        Paho3 publisher = connected3("pub");
        publisher.publish("r/a", "1", 0, true);
        publisher.publish("r/b/c", "2", 0, true);
        publisher.publish("other/a", "3", 0, true);
        Await.until("three retained", () -> fixture.broker().retained().size() == 3);

        Paho3 multi = connected3("multi");
        multi.subscribe("r/#", 0);
        assertThat(List.of(multi.next().text(), multi.next().text())).containsExactlyInAnyOrder("r/a:1", "r/b/c:2");
        multi.expectNothing(QUIET);

        Paho3 single = connected3("single");
        single.subscribe("+/a", 0);
        assertThat(List.of(single.next().text(), single.next().text())).containsExactlyInAnyOrder("r/a:1", "other/a:3");
        single.expectNothing(QUIET);
    }

    @Test
    void honours_retain_handling() throws Exception {
        Paho3 publisher = connected3("pub");
        publisher.publish("rh/t", "kept", 0, true);
        Await.until("retained", () -> fixture.broker().retained().size() == 1);
        Paho5 subscriber = fixture.v5("sub");
        subscriber.connect(true, 0);

        // 0: sent on every subscribe, also when the subscription exists already
        subscriber.subscribe(withRetainHandling("rh/t", 0), 0);
        assertThat(subscriber.next().retained()).isTrue();
        subscriber.subscribe(withRetainHandling("rh/t", 0), 0);
        assertThat(subscriber.next().retained()).isTrue();

        // 1: sent only when the subscription is new
        subscriber.subscribe(withRetainHandling("rh/+", 1), 0);
        assertThat(subscriber.next().payload()).isEqualTo("kept");
        subscriber.subscribe(withRetainHandling("rh/+", 1), 0);
        subscriber.expectNothing(QUIET);

        // 2: never sent
        subscriber.subscribe(withRetainHandling("rh/#", 2), 0);
        subscriber.expectNothing(QUIET);
    }

    @Test
    void keeps_retain_on_live_messages_only_with_retain_as_published() throws Exception {
        Paho5 asPublished = fixture.v5("rap");
        asPublished.connect(true, 0);
        MqttSubscription keep = new MqttSubscription("rap/t", 1);
        keep.setRetainAsPublished(true);
        asPublished.subscribe(keep, 0);
        Paho5 plain = fixture.v5("plain");
        plain.connect(true, 0);
        plain.subscribe("rap/t", 1);

        Paho5 publisher = fixture.v5("pub");
        publisher.connect(true, 0);
        publisher.publish("rap/t", "retained", 1, true);
        assertThat(asPublished.next().retained()).isTrue();
        assertThat(plain.next().retained()).isFalse();
        publisher.publish("rap/t", "not-retained", 1, false);
        assertThat(asPublished.next().retained()).isFalse();
        assertThat(plain.next().retained()).isFalse();
    }

    @Test
    void sends_no_retained_messages_to_shared_subscriptions() throws Exception {
        Paho3 publisher = connected3("pub");
        publisher.publish("s/t", "kept", 1, true);
        Await.until("retained", () -> fixture.broker().retained().size() == 1);
        Paho5 member = fixture.v5("member");
        member.connect(true, 0);
        member.subscribe("$share/g/s/#", 1);
        member.expectNothing(QUIET);

        publisher.publish("s/t", "live", 1, false);
        assertThat(member.next().payload()).isEqualTo("live");
    }

    @Test
    void stops_delivering_a_retained_message_once_it_expired() throws Exception {
        Paho5 publisher = fixture.v5("pub");
        publisher.connect(true, 0);
        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        properties.setMessageExpiryInterval(1L);
        publisher.publish(
                "exp/t",
                new org.eclipse.paho.mqttv5.common.MqttMessage(
                        "short".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, true, properties));
        Paho5 early = fixture.v5("early");
        early.connect(true, 0);
        early.subscribe("exp/t", 1);
        Delivery delivery = early.next();
        assertThat(delivery.retained()).isTrue();
        assertThat(delivery.properties().getMessageExpiryInterval()).isEqualTo(1L);

        Await.sleep(Duration.ofMillis(1500));
        Paho5 late = fixture.v5("late");
        late.connect(true, 0);
        late.subscribe("exp/t", 1);
        late.expectNothing(QUIET);
    }

    private Paho3 connected3(String clientId) throws Exception {
        Paho3 client = fixture.v3(clientId);
        client.connect(true);
        return client;
    }

    private static MqttSubscription withRetainHandling(String filter, int handling) {
        MqttSubscription subscription = new MqttSubscription(filter, 0);
        subscription.setRetainHandling(handling);
        return subscription;
    }
}
