package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unsubscribe answers, bad filters, keep alive, the CONNECT handshake and what ends a connection. */
class ProtocolRulesTest {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void answers_unsubscribe_with_success_or_no_subscription_existed() throws Exception {
        Paho5 client = fixture.v5("client");
        client.connect(true, 0);
        client.subscribe("u/t", 1);
        assertThat(client.unsubscribe("u/t")).isEqualTo(0x00);
        assertThat(client.unsubscribe("u/t")).as("No subscription existed").isEqualTo(0x11);

        Paho3 publisher = fixture.v3("pub");
        publisher.connect(true);
        publisher.publish("u/t", "after unsubscribe", 1, false);
        client.expectNothing(Duration.ofMillis(500));
    }

    @Test
    void unsubscribes_an_mqtt3_client_in_several_filters_at_once() throws Exception {
        RawClient client = fixture.raw();
        client.connect(MqttVersion.MQTT_3_1_1, "raw3", true, 0);
        client.subscribe(1, "u/a", 0);
        client.send(MqttMessageBuilders.unsubscribe()
                .messageId(2)
                .addTopicFilter("u/a")
                .addTopicFilter("u/never")
                .build());
        MqttUnsubAckMessage unsubAck = client.expect(MqttMessageType.UNSUBACK);
        assertThat(unsubAck.variableHeader().messageId()).isEqualTo(2);
    }

    @Test
    void refuses_an_invalid_filter_in_suback() throws Exception {
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "raw5", true, 0);
        assertThat(v5.subscribe(1, "a/#/b", 1).payload().reasonCodes())
                .as("Topic Filter invalid")
                .containsExactly(0x8F);
        assertThat(v5.subscribe(2, "a/b+", 1).payload().reasonCodes()).containsExactly(0x8F);

        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "raw3", true, 0);
        assertThat(v3.subscribe(1, "a/#/b", 1).payload().grantedQoSLevels())
                .as("Failure")
                .containsExactly(0x80);
        assertThat(v3.subscribe(2, "a/+", 1).payload().grantedQoSLevels()).containsExactly(1);
    }

    @Test
    void closes_a_client_that_stays_silent_beyond_its_keep_alive() throws Exception {
        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "silent3", true, 1);
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "silent5", true, 1);
        RawClient pinging = fixture.raw();
        pinging.connect(MqttVersion.MQTT_3_1_1, "pinging", true, 1);

        for (int i = 0; i < 5; i++) {
            Await.sleep(Duration.ofMillis(500));
            pinging.send(io.netty.handler.codec.mqtt.MqttMessage.PINGREQ);
            pinging.expect(MqttMessageType.PINGRESP);
        }
        assertThat(v3.awaitClosed(CLOSE_WAIT)).isTrue();
        assertThat(v5.expectDisconnect()).as("Keep Alive timeout").isEqualTo(0x8D);
        pinging.send(io.netty.handler.codec.mqtt.MqttMessage.PINGREQ);
        pinging.expect(MqttMessageType.PINGRESP);
    }

    @Test
    void announces_a_server_keep_alive_to_an_mqtt5_client_without_one() throws Exception {
        RawClient client = fixture.raw();
        MqttConnAckMessage connAck = client.connect(MqttVersion.MQTT_5, "no-keep-alive", true, 0);
        assertThat(connAck.variableHeader()
                        .properties()
                        .getProperty(
                                io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value())
                        .value())
                .isEqualTo(BrokerConfig.DEFAULT.maxKeepAliveSeconds());
    }

    @Test
    void refuses_a_session_expiry_set_on_disconnect_after_connecting_without_one() throws Exception {
        RawClient client = fixture.raw();
        client.connect(MqttVersion.MQTT_5, "no-session", true, 0);
        client.disconnect(0x00, QosFlowTest.expiry(60));
        assertThat(client.expectDisconnect()).as("Protocol Error").isEqualTo(0x82);
        Await.until("session gone", () -> fixture.broker().sessionCount() == 0);
    }

    @Test
    void closes_a_socket_that_never_sends_connect() throws Exception {
        fixture.start(BrokerConfig.builder().connectTimeoutMillis(300).build());
        RawClient mute = fixture.raw();
        assertThat(mute.awaitClosed(CLOSE_WAIT)).isTrue();
        Await.until("connection forgotten", () -> fixture.broker().connectionCount() == 0);
    }

    @Test
    void closes_a_connection_whose_first_packet_is_not_connect() throws Exception {
        RawClient eager = fixture.raw();
        eager.sendBytes(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ
        assertThat(eager.poll(Duration.ofMillis(200))).isNull();
        assertThat(eager.awaitClosed(CLOSE_WAIT)).isTrue();
    }

    @Test
    void serves_mqtt_3_1_clients() throws Exception {
        Paho3 old = fixture.v3("legacy");
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = Paho3.options(true);
        options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1);
        old.connect(options);
        old.subscribe("legacy/#", 2);
        old.publish("legacy/t", "still here", 2, false);
        Delivery delivery = old.next();
        assertThat(delivery.text()).isEqualTo("legacy/t:still here");
        assertThat(delivery.qos()).isEqualTo(2);
    }

    @Test
    void refuses_bad_subscribe_options_as_protocol_errors() throws Exception {
        RawClient noLocalShared = fixture.raw();
        noLocalShared.connect(MqttVersion.MQTT_5, "no-local-shared", true, 0);
        noLocalShared.send(MqttMessageBuilders.subscribe()
                .messageId(1)
                .addSubscription(
                        "$share/g/t",
                        new io.netty.handler.codec.mqtt.MqttSubscriptionOption(
                                io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE,
                                true,
                                false,
                                io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy
                                        .SEND_AT_SUBSCRIBE))
                .build());
        assertThat(noLocalShared.expectDisconnect()).as("Protocol Error").isEqualTo(0x82);
    }

    @Test
    void refuses_an_unsupported_protocol_version() throws Exception {
        RawClient future = fixture.raw();
        // CONNECT, protocol name MQTT, level 7, clean session, keep alive 60, client id "x"
        future.sendBytes(new byte[] {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 7, 0x02, 0, 60, 0, 1, 'x'});
        MqttConnAckMessage connAck = future.expect(MqttMessageType.CONNACK);
        assertThat(connAck.variableHeader().connectReturnCode().byteValue())
                .as("unacceptable protocol version")
                .isEqualTo((byte) 0x01);
        assertThat(future.awaitClosed(CLOSE_WAIT)).isTrue();
    }

    @Test
    void disconnects_a_client_that_sends_a_packet_above_the_maximum_packet_size() throws Exception {
        fixture.start(BrokerConfig.builder().maxPacketBytes(1024).build());
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "big5", true, 0);
        v5.publish("big/t", 0, 0, "x".repeat(2000));
        assertThat(v5.expectDisconnect()).as("Packet too large").isEqualTo(0x95);
        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "big3", true, 0);
        v3.publish("big/t", 0, 0, "x".repeat(2000));
        assertThat(v3.awaitClosed(CLOSE_WAIT)).isTrue();
    }

    @Test
    void disconnects_a_client_that_floods() throws Exception {
        fixture.start(BrokerConfig.builder().maxPacketsPerSecond(50).build());
        RawClient flooder = fixture.raw();
        flooder.connect(MqttVersion.MQTT_5, "flooder", true, 0);
        byte[] pings = new byte[200]; // 100 PINGREQs in one write, before the broker can react
        for (int i = 0; i < pings.length; i += 2) {
            pings[i] = (byte) 0xC0;
        }
        flooder.sendBytes(pings);
        io.netty.handler.codec.mqtt.MqttMessage next;
        do {
            next = flooder.poll(CLOSE_WAIT);
        } while (next != null && next.fixedHeader().messageType() == MqttMessageType.PINGRESP);
        assertThat(next).isNotNull();
        assertThat(RawClient.reasonCode(next)).as("Message rate too high").isEqualTo(0x96);
    }

    @Test
    void refuses_subscriptions_beyond_the_quota() throws Exception {
        RawClient client = fixture.raw();
        client.connect(MqttVersion.MQTT_5, "hoarder", true, 0);
        int limit = BrokerConfig.DEFAULT.maxSubscriptionsPerSession();
        for (int i = 0; i < limit; i++) {
            assertThat(client.subscribe(i + 1, "quota/" + i, 0).payload().reasonCodes())
                    .containsExactly(0);
        }
        assertThat(client.subscribe(limit + 1, "quota/one-more", 0).payload().reasonCodes())
                .as("Quota exceeded")
                .containsExactly(0x97);
        assertThat(client.subscribe(limit + 2, "quota/0", 1).payload().reasonCodes())
                .as("replacing an existing subscription is no new one")
                .containsExactly(1);
    }

    @Test
    void leaves_out_reason_strings_when_the_client_asks_for_no_problem_information() throws Exception {
        io.netty.handler.codec.mqtt.MqttProperties quiet = new io.netty.handler.codec.mqtt.MqttProperties();
        quiet.add(new io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty(
                io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REQUEST_PROBLEM_INFORMATION.value(), 0));
        RawClient client = fixture.raw();
        client.connect(MqttVersion.MQTT_5, "quiet", true, 0, connect -> connect.properties(quiet));
        client.publish("$fleet/x", 1, 1, "refused");
        io.netty.handler.codec.mqtt.MqttMessage puback = client.expect(MqttMessageType.PUBACK);
        assertThat(RawClient.reasonCode(puback)).isEqualTo(0x87);
        assertThat(((io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader) puback.variableHeader())
                        .properties()
                        .getProperty(io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REASON_STRING.value()))
                .isNull();
    }

    @Test
    void disconnects_on_a_second_connect_and_on_malformed_bytes() throws Exception {
        RawClient twice = fixture.raw();
        twice.connect(MqttVersion.MQTT_5, "twice", true, 0);
        twice.send(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId("twice")
                .build());
        assertThat(twice.expectDisconnect()).as("Protocol Error").isEqualTo(0x82);

        RawClient garbage = fixture.raw();
        garbage.connect(MqttVersion.MQTT_5, "garbage", true, 0);
        // SUBSCRIBE with the reserved flag bits wrong: malformed
        garbage.sendBytes(new byte[] {(byte) 0x80, 6, 0, 1, 0, 1, 'a', 0});
        assertThat(garbage.expectDisconnect()).as("Malformed Packet").isEqualTo(0x81);
    }
}
