package io.fleetcast.platform.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.MqttDevices.Identity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The limits on unauthenticated work, set tiny so that a test can reach them. */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestProfile(RateLimitTest.TinyLimits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class RateLimitTest {

    private static final int CONNECTION_RATE_EXCEEDED = 0x9F;

    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "fleetcast.rate-limit.failed-connects-per-minute", "3",
                    "fleetcast.rate-limit.claim-connects-per-second", "1",
                    "fleetcast.rate-limit.anonymous-requests-per-second", "1");
        }
    }

    @Test
    @Order(3) // last: it uses up this address's failed CONNECTs for the next minute
    void an_address_that_keeps_guessing_credentials_is_refused_even_with_the_right_one() throws Exception {
        // A fresh claim per test keeps the per-claim limit out of this one.
        Identity identity =
                MqttDevices.provisioned(Api.createClaim(Api.createModel(Api.unique("tv")), 5), Api.unique("SN"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> MqttDevices.connect(
                            identity.deviceId(), identity.deviceId(), "guess", new MqttDevices.Callback()))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(0x86));
        }

        assertThatThrownBy(() -> MqttDevices.connect(identity))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(CONNECTION_RATE_EXCEEDED));
    }

    @Test
    @Order(1)
    void a_claim_used_too_fast_is_refused_at_connect() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 10);
        MqttDevices.provisioned(claim, Api.unique("SN"));

        // The burst is two connections and one more comes back per second: a quick run of five meets
        // the limit however slow the machine is.
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            try {
                MqttDevices.close(MqttDevices.claimClient(claim, Api.unique("SN")));
            } catch (MqttException e) {
                assertThat(e.getReasonCode()).isEqualTo(CONNECTION_RATE_EXCEEDED);
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    @Order(2)
    @TestSecurity
    void an_address_that_calls_the_open_endpoints_too_fast_gets_429() {
        // The burst is two requests and one more comes back per second: a quick run of five meets it.
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            int status = given().get("/q/health/live").then().extract().statusCode();
            if (status == 429) {
                limited++;
                given().get("/q/health/live")
                        .then()
                        .statusCode(429)
                        .header("Retry-After", "1")
                        .body("code", equalTo("RATE_LIMITED"));
                break;
            }
        }
        assertThat(limited).isPositive();
        // The API is not limited by address.
        given().get("/api/v1/models").then().statusCode(401);
    }
}
