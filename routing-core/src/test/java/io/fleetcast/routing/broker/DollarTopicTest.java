package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Topics starting with '$': kept from wildcard filters at the first level, closed to clients' publishes. */
class DollarTopicTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void keeps_dollar_topics_from_first_level_wildcards() throws Exception {
        Paho3 everything = subscribed("everything", "#");
        Paho3 singleLevel = subscribed("single", "+/status");
        Paho5 shared = fixture.v5("shared");
        shared.connect(true, 0);
        shared.subscribe("$share/g/#", 0);
        Paho5 dollar = fixture.v5("dollar");
        dollar.connect(true, 0);
        dollar.subscribe("$fleet/#", 0);

        fixture.broker().publish(Message.of("$fleet/status", 0, false, bytes("internal")));
        fixture.broker().publish(Message.of("plain/status", 0, false, bytes("public")));

        assertThat(dollar.next().text()).isEqualTo("$fleet/status:internal");
        assertThat(everything.next().text()).isEqualTo("plain/status:public");
        assertThat(singleLevel.next().text()).isEqualTo("plain/status:public");
        assertThat(shared.next().text()).isEqualTo("plain/status:public");
        everything.expectNothing(QUIET);
        shared.expectNothing(Duration.ZERO);
        singleLevel.expectNothing(Duration.ZERO);
        dollar.expectNothing(Duration.ZERO);
    }

    @Test
    void keeps_retained_dollar_topics_from_first_level_wildcards() throws Exception {
        fixture.broker().publish(Message.of("$fleet/status", 1, true, bytes("internal")));
        Paho3 everything = subscribed("everything", "#");
        Paho3 singleLevel = subscribed("single", "+/status");
        everything.expectNothing(QUIET);
        singleLevel.expectNothing(Duration.ZERO);
        Paho3 dollar = subscribed("dollar", "$fleet/+");
        assertThat(dollar.next().text()).isEqualTo("$fleet/status:internal");
    }

    @Test
    void refuses_client_publishes_to_dollar_topics() throws Exception {
        Paho3 dollar = subscribed("dollar", "$fleet/#");
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "raw5", true, 0);
        v5.publish("$fleet/x", 1, false, false, 1, bytes("no"), MqttProperties.NO_PROPERTIES);
        assertThat(RawClient.reasonCode(v5.expect(MqttMessageType.PUBACK)))
                .as("Not authorized")
                .isEqualTo(0x87);
        v5.publish("$fleet/x", 2, false, false, 2, bytes("no"), MqttProperties.NO_PROPERTIES);
        assertThat(RawClient.reasonCode(v5.expect(MqttMessageType.PUBREC))).isEqualTo(0x87);
        v5.publish("$fleet/x", 0, 0, "no");
        assertThat(v5.expectDisconnect())
                .as("QoS 0 can only be refused by DISCONNECT")
                .isEqualTo(0x87);

        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "raw3", true, 0);
        v3.publish("$fleet/x", 1, 1, "no");
        assertThat(v3.awaitClosed(Duration.ofSeconds(5)))
                .as("MQTT 3.1.1 can only refuse by closing")
                .isTrue();
        dollar.expectNothing(QUIET);
    }

    private Paho3 subscribed(String clientId, String filter) throws Exception {
        Paho3 client = fixture.v3(clientId);
        client.connect(true);
        client.subscribe(filter, 1);
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
