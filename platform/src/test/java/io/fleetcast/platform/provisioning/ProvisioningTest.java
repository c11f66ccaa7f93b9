package io.fleetcast.platform.provisioning;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.MqttDevices.Identity;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class ProvisioningTest {

    private static final int BAD_USERNAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;

    @Inject
    Pool pool;

    @Test
    void provisions_device_with_claim_and_connects_with_its_credential() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String token = Api.createClaim(model, 5);

        Identity identity = MqttDevices.provisioned(token, Api.unique("SN"));
        MqttAsyncClient device = MqttDevices.connect(identity);

        assertThat(device.isConnected()).isTrue();
        Api.device(identity.deviceId())
                .statusCode(200)
                .body("model", equalTo(model))
                .body("status", equalTo("ACTIVE"))
                .body("firmwareVersion", equalTo("1.0.0"));
        MqttDevices.close(device);
    }

    @Test
    void counts_claim_uses_and_never_shows_the_token_again() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String token = Api.createClaim(model, 5);
        MqttDevices.provisioned(token, Api.unique("SN"));
        MqttDevices.provisioned(token, Api.unique("SN"));

        given().get("/api/v1/claims/" + claimId(token))
                .then()
                .statusCode(200)
                .body("uses", equalTo(2))
                .body("maxUses", equalTo(5))
                .body("token", nullValue());
    }

    @Test
    void refuses_unknown_claim_at_connect() {
        String unknown = UUID.randomUUID() + ".not-a-secret";
        assertThatThrownBy(() -> MqttDevices.claimClient(unknown, "SN-1"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USERNAME_OR_PASSWORD));
        assertThatThrownBy(() -> MqttDevices.claimClient("garbage", "SN-1"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USERNAME_OR_PASSWORD));
    }

    @Test
    void refuses_claim_with_wrong_secret() {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        String forged = claimId(token) + ".forged-secret";
        assertThatThrownBy(() -> MqttDevices.claimClient(forged, "SN-1"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USERNAME_OR_PASSWORD));
    }

    @Test
    void refuses_expired_claim() {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        // Claims cannot be created already expired through the API; age this one in the database.
        pool.preparedQuery("UPDATE claims SET expires_at = now() - interval '1 minute' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(claimId(token))))
                .await()
                .indefinitely();
        assertThatThrownBy(() -> MqttDevices.claimClient(token, "SN-1"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @Test
    void refuses_exhausted_claim_and_provisions_no_more_than_max_uses() throws Exception {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 1);
        MqttDevices.provisioned(token, Api.unique("SN"));

        ProvisionResponse second = MqttDevices.provision(token, Api.unique("SN"));

        assertThat(second.error()).isEqualTo(ProvisionError.CLAIM_EXHAUSTED);
        given().get("/api/v1/claims/" + claimId(token)).then().body("uses", equalTo(1));
    }

    @Test
    void answers_again_when_a_device_retries_after_a_lost_answer() throws Exception {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 1);
        String serial = Api.unique("SN");
        String requestId = UUID.randomUUID().toString();
        ProvisionResponse lost = MqttDevices.provision(token, serial, requestId);

        // The same request again: same device, a new credential, no second use of the (used-up) claim.
        ProvisionResponse retried = MqttDevices.provision(token, serial, requestId);

        assertThat(retried.isSuccess()).isTrue();
        assertThat(retried.deviceId()).isEqualTo(lost.deviceId());
        assertThat(retried.credential()).isNotEqualTo(lost.credential());
        given().get("/api/v1/claims/" + claimId(token)).then().body("uses", equalTo(1));
        assertThatThrownBy(() -> MqttDevices.connect(new Identity(lost.deviceId(), lost.credential())))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USERNAME_OR_PASSWORD));
        MqttDevices.close(MqttDevices.connect(new Identity(retried.deviceId(), retried.credential())));

        // Once the device has connected, its identity is settled: the same request is a replay.
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> Api.device(retried.deviceId())
                .body("lastSeen", org.hamcrest.Matchers.notNullValue()));
        assertThat(MqttDevices.provision(token, serial, requestId).error()).isEqualTo(ProvisionError.REPLAYED);
    }

    @Test
    void answers_a_retry_again_while_the_claim_has_uses_left() throws Exception {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        String serial = Api.unique("SN");
        String requestId = UUID.randomUUID().toString();
        ProvisionResponse lost = MqttDevices.provision(token, serial, requestId);

        ProvisionResponse retried = MqttDevices.provision(token, serial, requestId);
        ProvisionResponse otherRequest =
                MqttDevices.provision(token, serial, UUID.randomUUID().toString());

        assertThat(retried.deviceId()).isEqualTo(lost.deviceId());
        assertThat(otherRequest.error()).isEqualTo(ProvisionError.REPLAYED);
        given().get("/api/v1/claims/" + claimId(token)).then().body("uses", equalTo(1));
        MqttDevices.close(MqttDevices.connect(new Identity(retried.deviceId(), retried.credential())));
    }

    @Test
    void refuses_revoked_claim() {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        given().post("/api/v1/claims/" + claimId(token) + "/revoke")
                .then()
                .statusCode(200)
                .body("revokedAt", org.hamcrest.Matchers.notNullValue());
        assertThatThrownBy(() -> MqttDevices.claimClient(token, "SN-1"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @Test
    void refuses_a_replayed_serial_without_counting_a_use() throws Exception {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        String serial = Api.unique("SN");
        Identity first = MqttDevices.provisioned(token, serial);

        ProvisionResponse replay = MqttDevices.provision(token, serial);

        assertThat(replay.isSuccess()).isFalse();
        assertThat(replay.error()).isEqualTo(ProvisionError.REPLAYED);
        given().get("/api/v1/claims/" + claimId(token)).then().body("uses", equalTo(1));
        // The first device keeps its identity: its credential still works.
        MqttAsyncClient device = MqttDevices.connect(first);
        MqttDevices.close(device);
    }

    @Test
    void answers_an_invalid_request_with_invalid_request() throws Exception {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 5);

        ProvisionResponse notJson = MqttDevices.provision(token, "{not json".getBytes(StandardCharsets.UTF_8));
        ProvisionResponse badSerial = MqttDevices.provision(token, "bad serial with spaces");

        assertThat(notJson.error()).isEqualTo(ProvisionError.INVALID_REQUEST);
        assertThat(badSerial.error()).isEqualTo(ProvisionError.INVALID_REQUEST);
        given().get("/api/v1/claims/" + claimId(token)).then().body("uses", equalTo(0));
    }

    @Test
    void completes_a_preregistered_device_of_the_same_model() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        given().contentType("text/csv")
                .body("serial,model,region,tags\n" + serial + "," + model + ",eu-west,beta")
                .post("/api/v1/devices/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));
        String preregisteredId = given().get("/api/v1/devices?tag=beta&model=" + model)
                .then()
                .body("items[0].status", equalTo("PREREGISTERED"))
                .extract()
                .path("items[0].id");

        Identity identity = MqttDevices.provisioned(Api.createClaim(model, 5), serial);

        assertThat(identity.deviceId()).isEqualTo(preregisteredId);
        Api.device(preregisteredId)
                .body("status", equalTo("ACTIVE"))
                .body("region", equalTo("eu-west"))
                .body("tags[0]", equalTo("beta"));
    }

    @Test
    void refuses_a_serial_preregistered_for_another_model() throws Exception {
        String registered = Api.createModel(Api.unique("tv"));
        String other = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        given().contentType("text/csv")
                .body("serial,model\n" + serial + "," + registered)
                .post("/api/v1/devices/import")
                .then()
                .statusCode(200);

        ProvisionResponse response = MqttDevices.provision(Api.createClaim(other, 5), serial);

        assertThat(response.error()).isEqualTo(ProvisionError.MODEL_MISMATCH);
    }

    @Test
    void provisions_many_devices_concurrently_within_max_uses() throws Exception {
        String token = Api.createClaim(Api.createModel(Api.unique("tv")), 30);
        var executor = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var results = executor.invokeAll(java.util.stream.IntStream.range(0, 40)
                    .mapToObj(i -> (java.util.concurrent.Callable<ProvisionResponse>) () -> {
                        try {
                            return MqttDevices.provision(token, Api.unique("SN"));
                        } catch (MqttException refusedAtConnect) {
                            return ProvisionResponse.failure(null, ProvisionError.CLAIM_EXHAUSTED, "refused");
                        }
                    })
                    .toList());
            long provisioned = 0;
            for (var result : results) {
                ProvisionResponse response = result.get();
                if (response.isSuccess()) {
                    provisioned++;
                } else {
                    assertThat(response.error()).isEqualTo(ProvisionError.CLAIM_EXHAUSTED);
                }
            }
            assertThat(provisioned).isEqualTo(30);
            given().get("/api/v1/claims/" + claimId(token)).then().body("uses", equalTo(30));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void refuses_a_claim_for_an_unknown_model() {
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "no-such-model", "maxUses", 5))
                .post("/api/v1/claims")
                .then()
                .statusCode(400)
                .body("code", equalTo("UNKNOWN_MODEL"));
    }

    @Test
    void rejects_a_claim_without_max_uses() {
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "x"))
                .post("/api/v1/claims")
                .then()
                .statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("details[0]", org.hamcrest.Matchers.startsWith("maxUses"));
    }

    private static String claimId(String token) {
        return token.substring(0, token.indexOf('.'));
    }
}
