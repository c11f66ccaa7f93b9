package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Will messages: when they go out, when they do not, and the MQTT 5 Will Delay Interval. */
class WillTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final BrokerFixture fixture = new BrokerFixture();
    private Paho3 watcher;

    @BeforeEach
    void watchWills() throws Exception {
        watcher = fixture.v3("watcher");
        watcher.connect(true);
        watcher.subscribe("will/#", 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void publishes_the_will_when_the_connection_is_lost() throws Exception {
        RawClient device = fixture.raw();
        device.connect(MqttVersion.MQTT_3_1_1, "device", true, 0, will("will/device", 0, 0));
        device.close();

        Delivery will = watcher.next();
        assertThat(will.text()).isEqualTo("will/device:gone");
        assertThat(will.qos()).isEqualTo(1);
        assertThat(fixture.stats().willsPublished.sum()).isEqualTo(1);
    }

    @Test
    void publishes_the_will_of_a_paho_client_that_dies() throws Exception {
        Paho3 device = fixture.v3("paho-device");
        MqttConnectOptions options = Paho3.options(true);
        options.setWill("will/paho", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        device.connect(options);
        device.kill();
        assertThat(watcher.next().text()).isEqualTo("will/paho:gone");
    }

    @Test
    void discards_the_will_on_a_normal_disconnect() throws Exception {
        RawClient v3 = fixture.raw();
        v3.connect(MqttVersion.MQTT_3_1_1, "device3", true, 0, will("will/device3", 0, 0));
        v3.disconnect();
        assertThat(v3.awaitClosed(Duration.ofSeconds(5))).isTrue();
        RawClient v5 = fixture.raw();
        v5.connect(MqttVersion.MQTT_5, "device5", true, 0, will("will/device5", 0, 0));
        v5.disconnect(0x00, MqttProperties.NO_PROPERTIES);
        assertThat(v5.awaitClosed(Duration.ofSeconds(5))).isTrue();
        watcher.expectNothing(QUIET);
    }

    @Test
    void publishes_the_will_on_disconnect_with_will_message() throws Exception {
        RawClient device = fixture.raw();
        device.connect(MqttVersion.MQTT_5, "device", true, 0, will("will/device", 0, 0));
        device.disconnect(0x04, MqttProperties.NO_PROPERTIES);
        assertThat(watcher.next().text()).isEqualTo("will/device:gone");
    }

    @Test
    void publishes_a_delayed_will_after_the_delay() throws Exception {
        RawClient device = fixture.raw();
        device.connect(MqttVersion.MQTT_5, "device", true, 0, will("will/device", 2, 60));
        device.close();
        watcher.expectNothing(QUIET);
        assertThat(watcher.next().text()).isEqualTo("will/device:gone");
    }

    @Test
    void skips_a_delayed_will_when_the_client_returns_within_the_delay() throws Exception {
        RawClient device = fixture.raw();
        device.connect(MqttVersion.MQTT_5, "device", true, 0, will("will/device", 2, 60));
        device.close();
        RawClient back = fixture.raw();
        assertThat(back.connect(MqttVersion.MQTT_5, "device", false, 0, expiry(60))
                        .variableHeader()
                        .isSessionPresent())
                .isTrue();
        watcher.expectNothing(Duration.ofSeconds(3));
        assertThat(fixture.stats().willsPublished.sum()).isZero();
    }

    @Test
    void publishes_a_delayed_will_when_the_session_ends_first() throws Exception {
        RawClient shortSession = fixture.raw();
        shortSession.connect(MqttVersion.MQTT_5, "short", true, 0, will("will/short", 60, 1));
        shortSession.close();
        assertThat(watcher.next().text()).isEqualTo("will/short:gone");

        RawClient noSession = fixture.raw();
        noSession.connect(MqttVersion.MQTT_5, "none", true, 0, will("will/none", 60, 0));
        noSession.close();
        assertThat(watcher.next().text()).isEqualTo("will/none:gone");
    }

    @Test
    void holds_the_will_to_the_rights_of_its_client() throws Exception {
        Paho3 dollar = fixture.v3("dollar");
        dollar.connect(true);
        dollar.subscribe("$fleet/#", 1);
        RawClient device = fixture.raw();
        device.connect(MqttVersion.MQTT_3_1_1, "device", true, 0, will("$fleet/forged", 0, 0));
        device.close();
        RawClient delayed = fixture.raw();
        delayed.connect(MqttVersion.MQTT_5, "delayed", true, 0, will("$fleet/forged-later", 1, 60));
        delayed.close();

        dollar.expectNothing(Duration.ofSeconds(2));
        assertThat(fixture.stats().willsPublished.sum()).isZero();
    }

    @Test
    void publishes_the_will_with_its_properties_and_retain_flag() throws Exception {
        Paho5 watcher5 = fixture.v5("watcher5");
        watcher5.connect(true, 0);
        watcher5.subscribe("will/#", 1);
        Paho5 device = fixture.v5("device");
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions options = Paho5.options(true, 0);
        org.eclipse.paho.mqttv5.common.packet.MqttProperties willProperties =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        willProperties.setContentType("text/plain");
        willProperties.setResponseTopic("will/answer");
        willProperties.setUserProperties(
                java.util.List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty("cause", "crash")));
        options.setWill(
                "will/device",
                new org.eclipse.paho.mqttv5.common.MqttMessage(
                        "gone".getBytes(StandardCharsets.UTF_8), 1, true, willProperties));
        options.setWillMessageProperties(willProperties); // Paho sends these, not the message's own
        device.connect(options);
        device.kill();

        Delivery will = watcher5.next();
        assertThat(will.text()).isEqualTo("will/device:gone");
        assertThat(will.properties().getContentType()).isEqualTo("text/plain");
        assertThat(will.properties().getResponseTopic()).isEqualTo("will/answer");
        assertThat(will.properties().getUserProperties()).hasSize(1);
        Await.until("will retained", () -> fixture.broker().retained().size() == 1);
        Paho3 late = fixture.v3("late");
        late.connect(true);
        late.subscribe("will/device", 1);
        Delivery retained = late.next();
        assertThat(retained.payload()).isEqualTo("gone");
        assertThat(retained.retained()).isTrue();
    }

    @Test
    void treats_a_takeover_as_the_end_of_the_old_connection_for_its_will() throws Exception {
        RawClient immediate = fixture.raw();
        immediate.connect(MqttVersion.MQTT_5, "immediate", true, 0, will("will/immediate", 0, 60));
        RawClient immediateAgain = fixture.raw();
        immediateAgain.connect(MqttVersion.MQTT_5, "immediate", false, 0, expiry(60));
        assertThat(immediate.expectDisconnect()).as("Session taken over").isEqualTo(0x8E);
        assertThat(watcher.next().text()).isEqualTo("will/immediate:gone");

        RawClient delayed = fixture.raw();
        delayed.connect(MqttVersion.MQTT_5, "delayed", true, 0, will("will/delayed", 1, 60));
        RawClient delayedAgain = fixture.raw();
        delayedAgain.connect(MqttVersion.MQTT_5, "delayed", false, 0, expiry(60));
        assertThat(delayed.expectDisconnect()).isEqualTo(0x8E);
        watcher.expectNothing(Duration.ofSeconds(2)); // resumed within the delay
    }

    /** A will of QoS 1 with payload "gone"; delay and session expiry only for MQTT 5. */
    private static Consumer<MqttMessageBuilders.ConnectBuilder> will(
            String topic, int delaySeconds, int expirySeconds) {
        return connect -> {
            MqttProperties willProperties = new MqttProperties();
            if (delaySeconds > 0) {
                willProperties.add(new IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(), delaySeconds));
            }
            connect.willFlag(true)
                    .willTopic(topic)
                    .willQoS(MqttQoS.AT_LEAST_ONCE)
                    .willMessage("gone".getBytes(StandardCharsets.UTF_8))
                    .willProperties(willProperties)
                    .properties(QosFlowTest.expiry(expirySeconds));
        };
    }

    private static Consumer<MqttMessageBuilders.ConnectBuilder> expiry(int seconds) {
        return connect -> connect.properties(QosFlowTest.expiry(seconds));
    }
}
