package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MQTT 5 features on the wire: no-local, subscription identifiers, expiry, aliases, properties, limits. */
class Mqtt5FeaturesTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void does_not_echo_a_publisher_with_no_local() throws Exception {
        Paho5 noLocal = fixture.v5("no-local");
        noLocal.connect(true, 0);
        MqttSubscription subscription = new MqttSubscription("nl/t", 1);
        subscription.setNoLocal(true);
        noLocal.subscribe(subscription, 0);
        Paho5 echo = fixture.v5("echo");
        echo.connect(true, 0);
        echo.subscribe("nl/t", 1);

        noLocal.publish("nl/t", "from no-local", 1, false);
        echo.publish("nl/t", "from echo", 1, false);
        assertThat(List.of(echo.next().payload(), echo.next().payload()))
                .containsExactlyInAnyOrder("from no-local", "from echo");
        assertThat(noLocal.next().payload()).isEqualTo("from echo");
        noLocal.expectNothing(QUIET);
    }

    @Test
    void sends_the_subscription_identifier_of_each_matching_subscription() throws Exception {
        RawClient subscriber = fixture.raw();
        subscriber.connect(MqttVersion.MQTT_5, "sub", true, 0);
        subscriber.subscribe(1, "sid/+", AT_LEAST_ONCE, subscriptionId(7));
        subscriber.subscribe(2, "sid/#", AT_LEAST_ONCE, subscriptionId(9));
        subscriber.subscribe(3, "other/t", AT_LEAST_ONCE, subscriptionId(11));
        subscriber.subscribe(4, "none/t", AT_LEAST_ONCE, subscriptionId(0));

        Paho5 publisher = fixture.v5("pub");
        publisher.connect(true, 0);
        publisher.publish("other/t", "one", 1, false);
        assertThat(subscriptionIds(subscriber.expectPublish())).containsExactly(11);
        publisher.publish("none/t", "none", 1, false);
        assertThat(subscriptionIds(subscriber.expectPublish())).isEmpty();

        publisher.publish("sid/x", "both", 1, false);
        List<Integer> ids = new ArrayList<>(subscriptionIds(subscriber.expectPublish()));
        MqttPublishMessage second = (MqttPublishMessage) subscriber.poll(QUIET);
        if (second != null) { // one copy per subscription is allowed, as is one copy with both ids
            ids.addAll(subscriptionIds(second));
        }
        assertThat(ids).containsExactlyInAnyOrder(7, 9);
    }

    @Test
    void leaves_out_subscription_identifiers_when_the_session_returns_over_mqtt3() throws Exception {
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "downgraded", true, 0, connect -> connect.properties(QosFlowTest.expiry(60)));
        v5.subscribe(1, "sid/q0", MqttSubscriptionOption.onlyFromQos(MqttQoS.AT_MOST_ONCE), subscriptionId(5));
        v5.subscribe(2, "sid/q1", AT_LEAST_ONCE, subscriptionId(6));
        v5.close();

        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "downgraded", false, 0);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        publisher.publish("sid/q0", "zero", 0, false);
        MqttPublishMessage zero = v3.expectPublish();
        assertThat(zero.variableHeader().topicName()).isEqualTo("sid/q0");
        assertThat(RawClient.payload(zero)).isEqualTo("zero");
        publisher.publish("sid/q1", "one", 1, false);
        MqttPublishMessage one = v3.expectPublish();
        assertThat(one.variableHeader().topicName()).isEqualTo("sid/q1");
        assertThat(RawClient.payload(one)).isEqualTo("one");
    }

    @Test
    void paho_sees_the_subscription_identifier() throws Exception {
        Paho5 subscriber = fixture.v5("sub");
        subscriber.connect(true, 0);
        subscriber.subscribe(new MqttSubscription("other/t", 1), 11);
        Paho5 publisher = fixture.v5("pub");
        publisher.connect(true, 0);
        publisher.publish("other/t", "one", 1, false);
        assertThat(subscriber.next().properties().getSubscriptionIdentifiers()).containsExactly(11);
    }

    private static final MqttSubscriptionOption AT_LEAST_ONCE =
            MqttSubscriptionOption.onlyFromQos(MqttQoS.AT_LEAST_ONCE);

    private static MqttProperties subscriptionId(int id) {
        MqttProperties properties = new MqttProperties();
        if (id > 0) {
            properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        return properties;
    }

    private static List<Integer> subscriptionIds(MqttPublishMessage publish) {
        List<Integer> ids = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> property :
                publish.variableHeader().properties().getProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())) {
            ids.add((Integer) property.value());
        }
        return ids;
    }

    @Test
    void drops_expired_messages_and_counts_down_the_expiry_of_the_others() throws Exception {
        Paho5 device = fixture.v5("device");
        device.connect(true, 60);
        device.subscribe("exp/#", 1);
        device.disconnect();
        device.close();

        Paho5 publisher = fixture.v5("pub");
        publisher.connect(true, 0);
        publisher.publish("exp/short", withExpiry("short-lived", 1));
        publisher.publish("exp/long", withExpiry("long-lived", 60));
        Await.sleep(Duration.ofMillis(2200));

        Paho5 back = fixture.v5("device");
        assertThat(back.connect(false, 60)).isTrue();
        Delivery delivery = back.next();
        assertThat(delivery.text()).isEqualTo("exp/long:long-lived");
        assertThat(delivery.properties().getMessageExpiryInterval()).isBetween(1L, 59L);
        back.expectNothing(QUIET);
        assertThat(fixture.stats().droppedExpired.sum()).isEqualTo(1);
    }

    @Test
    void resolves_topic_aliases_from_the_client() throws Exception {
        Paho3 subscriber = fixture.v3("sub");
        subscriber.connect(true);
        subscriber.subscribe("alias/#", 0);
        RawClient publisher = fixture.raw();
        MqttConnAckMessage connAck = publisher.connect(MqttVersion.MQTT_5, "raw-pub", true, 0);
        assertThat(connAck.variableHeader()
                        .properties()
                        .getProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value())
                        .value())
                .isEqualTo(16);

        publisher.publish("alias/t", 0, false, false, 0, bytes("set"), alias(3));
        publisher.publish("", 0, false, false, 0, bytes("used"), alias(3));
        publisher.publish("alias/u", 0, false, false, 0, bytes("reset"), alias(3));
        publisher.publish("", 0, false, false, 0, bytes("used again"), alias(3));
        assertThat(subscriber.next().text()).isEqualTo("alias/t:set");
        assertThat(subscriber.next().text()).isEqualTo("alias/t:used");
        assertThat(subscriber.next().text()).isEqualTo("alias/u:reset");
        assertThat(subscriber.next().text()).isEqualTo("alias/u:used again");
    }

    @Test
    void resolves_the_topic_aliases_paho_chooses() throws Exception {
        Paho5 subscriber = fixture.v5("sub");
        subscriber.connect(true, 0);
        subscriber.subscribe("alias/#", 1);
        Paho5 publisher = fixture.v5("pub");
        publisher.connect(true, 0);
        for (int i = 0; i < 3; i++) {
            publisher.publish("alias/a", "a" + i, 1, false);
            publisher.publish("alias/b", "b" + i, 1, false);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(subscriber.next().text()).isEqualTo("alias/a:a" + i);
            assertThat(subscriber.next().text()).isEqualTo("alias/b:b" + i);
        }
    }

    @Test
    void disconnects_a_client_that_uses_an_invalid_topic_alias() throws Exception {
        RawClient tooHigh = fixture.raw();
        tooHigh.connect(MqttVersion.MQTT_5, "too-high", true, 0);
        tooHigh.publish("alias/t", 0, false, false, 0, bytes("x"), alias(17));
        assertThat(tooHigh.expectDisconnect()).isEqualTo(0x94);

        RawClient unknown = fixture.raw();
        unknown.connect(MqttVersion.MQTT_5, "unknown", true, 0);
        unknown.publish("", 0, false, false, 0, bytes("x"), alias(5));
        assertThat(unknown.expectDisconnect()).as("Protocol Error").isEqualTo(0x82);
    }

    @Test
    void forwards_request_response_and_user_properties_intact() throws Exception {
        Paho5 subscriber = fixture.v5("sub");
        subscriber.connect(true, 0);
        subscriber.subscribe("req/#", 1);
        Paho5 v3ish = fixture.v5("other");
        v3ish.connect(true, 0);

        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        properties.setResponseTopic("resp/device-1");
        properties.setCorrelationData(new byte[] {0, 1, 2, (byte) 0xFF});
        properties.setContentType("application/json");
        properties.setPayloadFormat(true);
        properties.setUserProperties(List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2")));
        MqttMessage message = new MqttMessage(bytes("{\"x\":1}"), 1, false, properties);
        v3ish.publish("req/t", message);

        Delivery delivery = subscriber.next();
        assertThat(delivery.payload()).isEqualTo("{\"x\":1}");
        assertThat(delivery.properties().getResponseTopic()).isEqualTo("resp/device-1");
        assertThat(delivery.properties().getCorrelationData()).containsExactly(0, 1, 2, 0xFF);
        assertThat(delivery.properties().getContentType()).isEqualTo("application/json");
        assertThat(delivery.properties().getPayloadFormat()).isTrue();
        assertThat(delivery.properties().getUserProperties())
                .extracting(UserProperty::getKey, UserProperty::getValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("k", "v1"), org.assertj.core.groups.Tuple.tuple("k", "v2"));
    }

    @Test
    void refuses_a_payload_that_is_not_the_utf8_it_claims_to_be() throws Exception {
        Paho3 subscriber = fixture.v3("sub");
        subscriber.connect(true);
        subscriber.subscribe("pf/#", 1);
        RawClient publisher = fixture.raw();
        publisher.connect(MqttVersion.MQTT_5, "raw-pub", true, 0);
        MqttProperties utf8 = new MqttProperties();
        utf8.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        byte[] invalid = {(byte) 0xC3, (byte) 0x28};

        publisher.publish("pf/t", 1, false, false, 1, invalid, utf8);
        assertThat(RawClient.reasonCode(publisher.expect(MqttMessageType.PUBACK)))
                .as("Payload format invalid")
                .isEqualTo(0x99);
        publisher.publish("pf/t", 2, false, false, 2, invalid, utf8);
        assertThat(RawClient.reasonCode(publisher.expect(MqttMessageType.PUBREC)))
                .isEqualTo(0x99);
        publisher.publish("pf/t", 1, false, false, 3, bytes("grüße"), utf8);
        assertThat(RawClient.reasonCode(publisher.expect(MqttMessageType.PUBACK)))
                .isZero();

        assertThat(subscriber.next().payload()).isEqualTo("grüße");
        subscriber.expectNothing(QUIET);
    }

    @Test
    void assigns_a_client_identifier_when_the_client_sends_none() throws Exception {
        RawClient v5 = fixture.raw();
        MqttConnAckMessage connAck = v5.connect(MqttVersion.MQTT_5, "", true, 0);
        assertThat(connAck.variableHeader().connectReturnCode().byteValue()).isZero();
        Object assigned = connAck.variableHeader()
                .properties()
                .getProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value())
                .value();
        assertThat((String) assigned).isNotBlank();
        assertThat(fixture.broker().client((String) assigned)).isNotNull();

        RawClient v3 = fixture.raw();
        assertThat(v3.connect(MqttVersion.MQTT_3_1_1, "", true, 0)
                        .variableHeader()
                        .connectReturnCode()
                        .byteValue())
                .isZero();
        RawClient v3Persistent = fixture.raw();
        assertThat(v3Persistent
                        .connect(MqttVersion.MQTT_3_1_1, "", false, 0)
                        .variableHeader()
                        .connectReturnCode()
                        .byteValue())
                .as("Identifier rejected")
                .isEqualTo((byte) 0x02);
    }

    @Test
    void drops_deliveries_larger_than_the_clients_maximum_packet_size() throws Exception {
        RawClient small = fixture.raw();
        MqttProperties limit = new MqttProperties();
        limit.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 128));
        small.connect(MqttVersion.MQTT_5, "small", true, 0, connect -> connect.properties(limit));
        small.subscribe(1, "big/#", 1);
        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);

        publisher.publish("big/t", "x".repeat(500), 1, false);
        publisher.publish("big/t", "fits", 1, false);
        publisher.publish("big/t", "y".repeat(500), 0, false);
        publisher.publish("big/t", "fits too", 0, false);
        MqttPublishMessage first = small.expectPublish();
        assertThat(RawClient.payload(first)).isEqualTo("fits");
        small.reply(MqttMessageType.PUBACK, first.variableHeader().packetId());
        assertThat(RawClient.payload(small.expectPublish())).isEqualTo("fits too");
        small.expectNothing(QUIET);
        assertThat(fixture.stats().droppedTooLarge.sum()).isEqualTo(2);
    }

    private static MqttMessage withExpiry(String payload, long seconds) {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        properties.setMessageExpiryInterval(seconds);
        return new MqttMessage(bytes(payload), 1, false, properties);
    }

    private static MqttProperties alias(int alias) {
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
        return properties;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
