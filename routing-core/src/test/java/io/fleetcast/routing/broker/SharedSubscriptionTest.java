package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared subscriptions: one member per group gets each message; groups and plain subscribers each get a copy. */
class SharedSubscriptionTest {

    private static final int MESSAGES = 20;

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void gives_each_message_to_one_member_of_each_group() throws Exception {
        Paho5 a1 = member("a1", "$share/a/jobs/+");
        Paho5 a2 = member("a2", "$share/a/jobs/+");
        Paho3 b1 = fixture.v3("b1");
        b1.connect(true);
        b1.subscribe("$share/b/jobs/#", 1);
        Paho5 plain = member("plain", "jobs/+");

        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        for (int i = 0; i < MESSAGES; i++) {
            publisher.publish("jobs/x", "m" + i, 1, false);
        }

        List<String> groupA = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(plain.next().payload()).isEqualTo("m" + i);
            assertThat(b1.next().payload()).isEqualTo("m" + i);
        }
        Await.until("group a got every message", () -> {
            drain(a1, groupA);
            drain(a2, groupA);
            return groupA.size() >= MESSAGES;
        });
        Await.sleep(Duration.ofMillis(300));
        drain(a1, groupA);
        drain(a2, groupA);
        assertThat(groupA).hasSize(MESSAGES);
        Set<String> distinct = new HashSet<>(groupA);
        assertThat(distinct).hasSize(MESSAGES);
    }

    @Test
    void spreads_a_group_over_its_members() throws Exception {
        Paho5 a1 = member("a1", "$share/a/jobs/+");
        Paho5 a2 = member("a2", "$share/a/jobs/+");
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        for (int i = 0; i < MESSAGES; i++) {
            publisher.publish("jobs/x", "m" + i, 1, false);
        }
        List<String> toA1 = new ArrayList<>();
        List<String> toA2 = new ArrayList<>();
        Await.until("every message delivered", () -> {
            drain(a1, toA1);
            drain(a2, toA2);
            return toA1.size() + toA2.size() >= MESSAGES;
        });
        assertThat(toA1).isNotEmpty();
        assertThat(toA2).isNotEmpty();
    }

    @Test
    void passes_over_members_that_are_offline() throws Exception {
        Paho5 away = fixture.v5("away");
        away.connect(true, 60);
        away.subscribe("$share/a/jobs/+", 1);
        away.disconnect(); // its session, and so its membership, lives on
        away.close();
        Paho5 present = member("present", "$share/a/jobs/+");

        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        for (int i = 0; i < MESSAGES; i++) {
            publisher.publish("jobs/x", "m" + i, 1, false);
        }
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(present.next().payload()).isEqualTo("m" + i);
        }
    }

    private Paho5 member(String clientId, String filter) throws Exception {
        Paho5 client = fixture.v5(clientId);
        client.connect(true, 0);
        client.subscribe(filter, 1);
        return client;
    }

    private static void drain(Paho5 client, List<String> into) {
        Delivery delivery;
        while ((delivery = client.poll()) != null) {
            into.add(delivery.payload());
        }
    }
}
