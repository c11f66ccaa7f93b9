package io.fleetcast.platform.broadcast;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.MqttDevices.Identity;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class BroadcastTest {

    @Test
    void devices_tuned_to_a_channel_get_the_moment_and_others_do_not() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 10);
        BlockingQueue<String> news = new LinkedBlockingQueue<>();
        BlockingQueue<String> sport = new LinkedBlockingQueue<>();
        MqttAsyncClient tunedToNews = subscribed(claim, Topics.channelBroadcast("acme", "news"), news);
        MqttAsyncClient tunedToSport = subscribed(claim, Topics.channelBroadcast("acme", "sport"), sport);

        given().contentType("application/json")
                .body("{\"scope\":\"CHANNEL\",\"target\":\"news\",\"payload\":{\"offer\":\"sofa\"},\"qos\":1}")
                .post("/api/v1/broadcasts")
                .then()
                .statusCode(202)
                .body("topic", equalTo("b/acme/c/news"));

        assertThat(news.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"offer\":\"sofa\"}");
        assertThat(sport.poll(500, TimeUnit.MILLISECONDS)).isNull();
        MqttDevices.close(tunedToNews);
        MqttDevices.close(tunedToSport);
    }

    @Test
    void a_retained_moment_reaches_devices_that_tune_in_later() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 10);
        String channel = Api.unique("ch");
        given().contentType("application/json")
                .body("{\"scope\":\"CHANNEL\",\"target\":\"" + channel + "\",\"payload\":\"now on\",\"retain\":true}")
                .post("/api/v1/broadcasts")
                .then()
                .statusCode(202);

        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttAsyncClient late = subscribed(claim, Topics.channelBroadcast("acme", channel), received);

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("\"now on\"");
        MqttDevices.close(late);
    }

    @Test
    void a_model_broadcast_needs_a_target() {
        given().contentType("application/json")
                .body("{\"scope\":\"MODEL\",\"payload\":{}}")
                .post("/api/v1/broadcasts")
                .then()
                .statusCode(400)
                .body("code", equalTo("TARGET_REQUIRED"));
    }

    private static MqttAsyncClient subscribed(String claim, String filter, BlockingQueue<String> sink)
            throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttAsyncClient client = MqttDevices.connect(
                identity.deviceId(), identity.deviceId(), identity.credential(), new MqttDevices.Callback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        sink.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                    }
                });
        MqttDevices.subscribe(client, filter, 1);
        return client;
    }
}
