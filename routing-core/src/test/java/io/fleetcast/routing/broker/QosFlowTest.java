package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** QoS 0, 1 and 2 flows in both directions, downgrade, the inflight window and redelivery. */
class QosFlowTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void delivers_every_qos_both_ways_mqtt3() throws Exception {
        Paho3 subscriber = fixture.v3("sub");
        Paho3 publisher = fixture.v3("pub");
        subscriber.connect(true);
        publisher.connect(true);
        assertThat(subscriber.subscribe("q/+", 2)).isEqualTo(2);
        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("q/" + qos, "m" + qos, qos, false);
            Delivery delivery = subscriber.next();
            assertThat(delivery.text()).isEqualTo("q/" + qos + ":m" + qos);
            assertThat(delivery.qos()).isEqualTo(qos);
            assertThat(delivery.retained()).isFalse();
        }
    }

    @Test
    void delivers_every_qos_both_ways_mqtt5() throws Exception {
        Paho5 subscriber = fixture.v5("sub");
        Paho5 publisher = fixture.v5("pub");
        subscriber.connect(true, 0);
        publisher.connect(true, 0);
        assertThat(subscriber.subscribe("q/+", 2)).isEqualTo(2);
        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("q/" + qos, "m" + qos, qos, false);
            Delivery delivery = subscriber.next();
            assertThat(delivery.text()).isEqualTo("q/" + qos + ":m" + qos);
            assertThat(delivery.qos()).isEqualTo(qos);
        }
    }

    @Test
    void downgrades_to_the_qos_of_the_subscription() throws Exception {
        Paho3 atMostOnce = fixture.v3("qos0");
        Paho5 atLeastOnce = fixture.v5("qos1");
        Paho3 publisher = fixture.v3("pub");
        atMostOnce.connect(true);
        atLeastOnce.connect(true, 0);
        publisher.connect(true);
        atMostOnce.subscribe("d/#", 0);
        atLeastOnce.subscribe("d/#", 1);

        publisher.publish("d/x", "two", 2, false);
        assertThat(atMostOnce.next().qos()).isZero();
        assertThat(atLeastOnce.next().qos()).isEqualTo(1);

        publisher.publish("d/x", "zero", 0, false);
        assertThat(atLeastOnce.next().qos()).as("never upgraded").isZero();
        assertThat(atMostOnce.next().qos()).isZero();
    }

    @Test
    void keeps_at_most_receive_maximum_deliveries_unacknowledged() throws Exception {
        Paho5 subscriber = fixture.v5("slow-acker");
        subscriber.client.setManualAcks(true);
        MqttConnectionOptions options = Paho5.options(true, 0);
        options.setReceiveMaximum(2);
        subscriber.connect(options);
        subscriber.subscribe("w/#", 1);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        for (int i = 0; i < 5; i++) {
            publisher.publish("w/t", "m" + i, 1, false);
        }

        Delivery first = subscriber.next();
        Delivery second = subscriber.next();
        assertThat(first.payload()).isEqualTo("m0");
        assertThat(second.payload()).isEqualTo("m1");
        subscriber.expectNothing(QUIET);

        subscriber.ack(first);
        assertThat(subscriber.next().payload()).isEqualTo("m2");
        subscriber.expectNothing(QUIET);
        subscriber.ack(second);
        assertThat(subscriber.next().payload()).isEqualTo("m3");
    }

    @Test
    void redelivers_unacknowledged_qos1_with_dup_to_a_returning_paho_client() throws Exception {
        // Paho 3: Paho 5 (1.2.5) does not pass the DUP flag of a received PUBLISH to the application.
        Paho3 subscriber = fixture.v3("persistent");
        subscriber.client.setManualAcks(true);
        subscriber.connect(false);
        subscriber.subscribe("r/#", 1);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        publisher.publish("r/1", "unacked", 1, false);
        Delivery first = subscriber.next();
        assertThat(first.dup()).isFalse();
        subscriber.kill();
        subscriber.close();

        Paho3 returning = fixture.v3("persistent");
        assertThat(returning.connect(false)).isTrue();
        Delivery again = returning.next();
        assertThat(again.text()).isEqualTo("r/1:unacked");
        assertThat(again.dup()).isTrue();
        assertThat(again.qos()).isEqualTo(1);
        assertThat(fixture.stats().redelivered.sum()).isEqualTo(1);
    }

    @Test
    void redelivers_unacknowledged_qos1_and_qos2_with_dup_and_same_packet_id() throws Exception {
        RawClient subscriber = fixture.raw();
        subscriber.connect(MqttVersion.MQTT_5, "raw-persistent", true, 0, connect -> connect.properties(expiry(60)));
        subscriber.subscribe(1, "r/#", 2);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        publisher.publish("r/1", "one", 1, false);
        publisher.publish("r/2", "two", 2, false);
        MqttPublishMessage one = subscriber.expectPublish();
        MqttPublishMessage two = subscriber.expectPublish();
        assertThat(one.fixedHeader().isDup()).isFalse();
        subscriber.close();

        RawClient returning = fixture.raw();
        MqttConnAckMessage connAck = returning.connect(
                MqttVersion.MQTT_5, "raw-persistent", false, 0, connect -> connect.properties(expiry(60)));
        assertThat(connAck.variableHeader().isSessionPresent()).isTrue();
        MqttPublishMessage oneAgain = returning.expectPublish();
        MqttPublishMessage twoAgain = returning.expectPublish();
        assertThat(oneAgain.fixedHeader().isDup()).isTrue();
        assertThat(oneAgain.fixedHeader().qosLevel().value()).isEqualTo(1);
        assertThat(oneAgain.variableHeader().packetId())
                .isEqualTo(one.variableHeader().packetId());
        assertThat(RawClient.payload(oneAgain)).isEqualTo("one");
        assertThat(twoAgain.fixedHeader().isDup()).isTrue();
        assertThat(twoAgain.fixedHeader().qosLevel().value()).isEqualTo(2);
        assertThat(twoAgain.variableHeader().packetId())
                .isEqualTo(two.variableHeader().packetId());

        // PUBREC received before the next break: the broker resends PUBREL, not the PUBLISH.
        returning.reply(MqttMessageType.PUBACK, oneAgain.variableHeader().packetId());
        returning.reply(MqttMessageType.PUBREC, twoAgain.variableHeader().packetId());
        MqttMessage pubrel = returning.expect(MqttMessageType.PUBREL);
        assertThat(RawClient.packetId(pubrel)).isEqualTo(two.variableHeader().packetId());
        returning.close();

        RawClient third = fixture.raw();
        third.connect(MqttVersion.MQTT_5, "raw-persistent", false, 0, connect -> connect.properties(expiry(60)));
        MqttMessage pubrelAgain = third.expect(MqttMessageType.PUBREL);
        assertThat(RawClient.packetId(pubrelAgain))
                .isEqualTo(two.variableHeader().packetId());
        third.reply(MqttMessageType.PUBCOMP, two.variableHeader().packetId());
        third.expectNothing(QUIET);
    }

    @Test
    void routes_a_resent_qos2_publish_only_once() throws Exception {
        Paho3 subscriber = fixture.v3("sub");
        subscriber.connect(true);
        subscriber.subscribe("once/#", 2);
        RawClient publisher = fixture.raw();
        publisher.connect(MqttVersion.MQTT_5, "raw-pub", true, 0);
        byte[] payload = "exactly-once".getBytes(StandardCharsets.UTF_8);

        publisher.publish("once/t", 2, false, false, 7, payload, MqttProperties.NO_PROPERTIES);
        assertThat(RawClient.packetId(publisher.expect(MqttMessageType.PUBREC))).isEqualTo(7);
        publisher.publish("once/t", 2, true, false, 7, payload, MqttProperties.NO_PROPERTIES);
        assertThat(RawClient.packetId(publisher.expect(MqttMessageType.PUBREC))).isEqualTo(7);
        publisher.reply(MqttMessageType.PUBREL, 7);
        MqttMessage pubcomp = publisher.expect(MqttMessageType.PUBCOMP);
        assertThat(RawClient.reasonCode(pubcomp)).isZero();

        assertThat(subscriber.next().payload()).isEqualTo("exactly-once");
        subscriber.expectNothing(QUIET);
    }

    @Test
    void remembers_an_unreleased_qos2_publish_across_a_reconnect() throws Exception {
        Paho3 subscriber = fixture.v3("sub");
        subscriber.connect(true);
        subscriber.subscribe("once/#", 2);
        RawClient publisher = fixture.raw();
        publisher.connect(MqttVersion.MQTT_5, "raw-pub", true, 0, connect -> connect.properties(expiry(60)));
        publisher.publish("once/t", 2, 9, "exactly-once");
        publisher.expect(MqttMessageType.PUBREC);
        publisher.close();

        RawClient back = fixture.raw();
        back.connect(MqttVersion.MQTT_5, "raw-pub", false, 0, connect -> connect.properties(expiry(60)));
        back.publish(
                "once/t",
                2,
                true,
                false,
                9,
                "exactly-once".getBytes(StandardCharsets.UTF_8),
                MqttProperties.NO_PROPERTIES);
        assertThat(RawClient.reasonCode(back.expect(MqttMessageType.PUBREC))).isZero();
        back.reply(MqttMessageType.PUBREL, 9);
        assertThat(RawClient.reasonCode(back.expect(MqttMessageType.PUBCOMP)))
                .as("known packet id")
                .isZero();
        assertThat(subscriber.next().payload()).isEqualTo("exactly-once");
        subscriber.expectNothing(QUIET);
    }

    @Test
    void answers_pubrel_for_an_unknown_packet_id_with_pubcomp() throws Exception {
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "raw5", true, 0);
        v5.reply(MqttMessageType.PUBREL, 42);
        MqttMessage pubcomp5 = v5.expect(MqttMessageType.PUBCOMP);
        assertThat(RawClient.packetId(pubcomp5)).isEqualTo(42);
        assertThat(RawClient.reasonCode(pubcomp5))
                .as("Packet Identifier not found")
                .isEqualTo(0x92);

        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "raw3", true, 0);
        v3.reply(MqttMessageType.PUBREL, 43);
        assertThat(RawClient.packetId(v3.expect(MqttMessageType.PUBCOMP))).isEqualTo(43);
    }

    @Test
    void frees_the_inflight_slot_of_a_delivery_too_large_for_the_returning_client() throws Exception {
        RawClient subscriber = fixture.raw();
        subscriber.connect(MqttVersion.MQTT_5, "shrinking", true, 0, connect -> connect.properties(expiry(60)));
        subscriber.subscribe(1, "big/#", 1);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        publisher.publish("big/t", "x".repeat(500), 1, false);
        subscriber.expectPublish(); // not acknowledged
        subscriber.close();

        // Back with room for one unacknowledged delivery, and too small for the one in flight.
        MqttProperties smaller = expiry(60);
        smaller.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 128));
        smaller.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), 1));
        RawClient returning = fixture.raw();
        returning.connect(MqttVersion.MQTT_5, "shrinking", false, 0, connect -> connect.properties(smaller));
        publisher.publish("big/t", "small", 1, false);
        assertThat(RawClient.payload(returning.expectPublish())).isEqualTo("small");
        assertThat(fixture.stats().droppedTooLarge.sum()).isEqualTo(1);
    }

    @Test
    void resends_no_more_than_the_returning_clients_receive_maximum() throws Exception {
        RawClient subscriber = fixture.raw();
        subscriber.connect(MqttVersion.MQTT_5, "narrowing", true, 0, connect -> connect.properties(expiry(60)));
        subscriber.subscribe(1, "n/#", 1);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        for (int i = 0; i < 4; i++) {
            publisher.publish("n/t", "m" + i, 1, false);
        }
        for (int i = 0; i < 4; i++) {
            subscriber.expectPublish(); // none acknowledged
        }
        subscriber.close();
        publisher.publish("n/t", "queued", 1, false);

        MqttProperties narrower = expiry(60);
        narrower.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), 2));
        RawClient returning = fixture.raw();
        returning.connect(MqttVersion.MQTT_5, "narrowing", false, 0, connect -> connect.properties(narrower));
        MqttPublishMessage first = returning.expectPublish();
        MqttPublishMessage second = returning.expectPublish();
        assertThat(List.of(RawClient.payload(first), RawClient.payload(second))).containsExactly("m0", "m1");
        assertThat(first.fixedHeader().isDup()).isTrue();
        returning.expectNothing(QUIET);

        returning.reply(MqttMessageType.PUBACK, first.variableHeader().packetId());
        MqttPublishMessage third = returning.expectPublish();
        assertThat(RawClient.payload(third)).isEqualTo("m2");
        assertThat(third.fixedHeader().isDup()).isTrue();
        returning.expectNothing(QUIET);
        returning.reply(MqttMessageType.PUBACK, second.variableHeader().packetId());
        returning.reply(MqttMessageType.PUBACK, third.variableHeader().packetId());
        List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MqttPublishMessage next = returning.expectPublish();
            rest.add(RawClient.payload(next));
            returning.reply(MqttMessageType.PUBACK, next.variableHeader().packetId());
        }
        assertThat(rest).containsExactly("m3", "queued");
        returning.expectNothing(QUIET);
    }

    @Test
    void disconnects_a_client_exceeding_the_receive_maximum_for_qos2() throws Exception {
        RawClient publisher = fixture.raw();
        MqttConnAckMessage connAck = publisher.connect(MqttVersion.MQTT_5, "greedy", true, 0);
        int receiveMaximum = (Integer) connAck.variableHeader()
                .properties()
                .getProperty(MqttPropertyType.RECEIVE_MAXIMUM.value())
                .value();
        for (int id = 1; id <= receiveMaximum + 1; id++) {
            publisher.publish("q2/t", 2, id, "unreleased");
        }
        for (int id = 1; id <= receiveMaximum; id++) {
            assertThat(RawClient.packetId(publisher.expect(MqttMessageType.PUBREC)))
                    .isEqualTo(id);
        }
        assertThat(publisher.expectDisconnect()).as("Receive Maximum exceeded").isEqualTo(0x93);
    }

    static MqttProperties expiry(int seconds) {
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), seconds));
        return properties;
    }
}
