package io.fleetcast.platform.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.Tokens;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/** Back ends connect with an access token from Keycloak and may use only their tenant's broadcast topics. */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
class BackendConnectionTest {

    @Test
    void a_backend_with_a_token_broadcasts_to_its_tenant_only() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttAsyncClient listener = backend("admin@acme", new MqttDevices.Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        });
        MqttAsyncClient publisher = backend("operator@acme", new MqttDevices.Callback());

        assertThat(MqttDevices.subscribe(listener, "b/acme/#", 1)).isEqualTo(1);
        assertThat(MqttDevices.subscribe(listener, "b/globex/#", 1)).isEqualTo(0x87);
        assertThat(MqttDevices.publishQos1(publisher, Topics.channelBroadcast("acme", "news"), "deal".getBytes()))
                .isZero();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("b/acme/c/news deal");

        assertThat(MqttDevices.publishQos1(publisher, Topics.tenantBroadcast("globex"), "x".getBytes()))
                .isEqualTo(0x87);
        assertThat(MqttDevices.publishQos1(
                        publisher, Topics.state(UUID.randomUUID().toString()), "x".getBytes()))
                .isEqualTo(0x87);
        MqttDevices.close(listener);
        MqttDevices.close(publisher);
    }

    @Test
    void a_bad_token_or_a_role_that_may_not_broadcast_is_refused() {
        assertThatThrownBy(() -> MqttDevices.connect(
                        "be-" + UUID.randomUUID(),
                        Credentials.TOKEN_USERNAME,
                        "not.a.token",
                        new MqttDevices.Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() -> backend("reviewer", new MqttDevices.Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    }

    private static MqttAsyncClient backend(String user, MqttDevices.Callback callback) throws Exception {
        return MqttDevices.connect("be-" + UUID.randomUUID(), Credentials.TOKEN_USERNAME, Tokens.of(user), callback);
    }
}
