package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CONNECT handshake with an authenticator that refuses, fails or takes its time. */
class AuthenticationTest {

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void refuses_with_the_authenticators_reason_in_each_protocol_version() throws Exception {
        fixture.start(
                BrokerConfig.DEFAULT,
                request -> CompletableFuture.completedFuture(Admission.refuse(0x86, "bad_credentials")));
        RawClient v5 = fixture.raw();
        MqttConnAckMessage refused5 = v5.connect(MqttVersion.MQTT_5, "device", true, 0);
        assertThat(refused5.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x86);
        assertThat(v5.awaitClosed(Await.LIMIT)).isTrue();
        RawClient v3 = fixture.raw();
        MqttConnAckMessage refused3 = v3.connect(MqttVersion.MQTT_3_1_1, "device", true, 0);
        assertThat(refused3.variableHeader().connectReturnCode().byteValue())
                .as("bad user name or password")
                .isEqualTo((byte) 0x04);
        assertThat(v3.awaitClosed(Await.LIMIT)).isTrue();
        assertThat(fixture.broker().sessionCount()).isZero();
    }

    @Test
    void answers_server_unavailable_when_the_authenticator_fails() throws Exception {
        fixture.start(BrokerConfig.DEFAULT, request -> {
            throw new IllegalStateException("registry down");
        });
        RawClient v5 = fixture.raw();
        assertThat(v5.connect(MqttVersion.MQTT_5, "device", true, 0)
                        .variableHeader()
                        .connectReturnCode()
                        .byteValue())
                .isEqualTo((byte) 0x88);
        RawClient v3 = fixture.raw();
        assertThat(v3.connect(MqttVersion.MQTT_3_1_1, "device", true, 0)
                        .variableHeader()
                        .connectReturnCode()
                        .byteValue())
                .isEqualTo((byte) 0x03);
    }

    @Test
    void handles_packets_sent_before_a_slow_authenticator_answered_after_it() throws Exception {
        fixture.start(
                BrokerConfig.DEFAULT,
                request -> CompletableFuture.supplyAsync(
                        () -> Admission.accept(request.clientId(), new OpenPolicy()),
                        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)));
        Paho3 subscriber = fixture.v3("sub");
        subscriber.connect(true);
        subscriber.subscribe("early/#", 1);

        RawClient eager = fixture.raw();
        eager.sendConnect(MqttVersion.MQTT_3_1_1, "eager", true);
        eager.publish("early/t", 1, 1, "before connack");
        eager.expect(MqttMessageType.CONNACK);
        assertThat(RawClient.packetId(eager.expect(MqttMessageType.PUBACK))).isEqualTo(1);
        assertThat(subscriber.next().text()).isEqualTo("early/t:before connack");
    }
}
