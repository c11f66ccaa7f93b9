package io.fleetcast.platform.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.fleetcast.platform.testing.AgentProcess;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's runnable jar in certificate mode, as its own process, over real mutual TLS: it provisions
 * with a CSR, connects with its certificate, rotates it, and is cut off for good when it is revoked.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class AgentCertificateEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Process agent;

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.destroyForcibly();
        }
    }

    @Test
    void agent_connects_with_its_certificate_and_is_cut_off_for_good_when_it_is_revoked() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        String serial = Api.unique("SN");
        Path stateDir = Files.createTempDirectory("agent-cert-state");

        agent = startAgent(serial, claim, stateDir, Map.of());

        String deviceId = AgentProcess.awaitDeviceId(serial, WAIT);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId).body("online", equalTo(true)));
        assertThat(Files.exists(stateDir.resolve("certificate.json"))).isTrue();
        List<String> serials =
                certificates(deviceId).body("$", hasSize(1)).extract().path("serial");

        given().post("/api/v1/devices/" + deviceId + "/certificates/" + serials.get(0) + "/revoke")
                .then()
                .statusCode(200);

        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CERTIFICATE_REVOKED")));
        // The agent keeps retrying (every second here) and is refused each time.
        await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false)));
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    void agent_rotates_its_certificate_and_uses_the_new_one_from_its_next_connect() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        String serial = Api.unique("SN");
        Path stateDir = Files.createTempDirectory("agent-cert-state");
        // Due at once: 0.0001 % of a year is 32 s, and a certificate is backdated five minutes.
        Map<String, String> rotateAtOnce = Map.of("FLEETCAST_TLS_ROTATE_REMAINING", "0.999999");

        agent = startAgent(serial, claim, stateDir, rotateAtOnce);
        String deviceId = AgentProcess.awaitDeviceId(serial, WAIT);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> certificates(deviceId).body("$", hasSize(2)).body("status", everyItem(equalTo("VALID"))));
        List<String> serials = certificates(deviceId).extract().path("serial");
        String first = serials.get(1); // newest first

        AgentProcess.stop(agent);
        agent = startAgent(serial, claim, stateDir, Map.of());
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId).body("online", equalTo(true)));
        given().post("/api/v1/devices/" + deviceId + "/certificates/" + first + "/revoke")
                .then()
                .statusCode(200);

        // The session runs on the second certificate, so revoking the first leaves it up.
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(true))
                .body("lastDisconnectReason", not(equalTo("CERTIFICATE_REVOKED"))));
    }

    private static io.restassured.response.ValidatableResponse certificates(String deviceId) {
        return given().get("/api/v1/devices/" + deviceId + "/certificates")
                .then()
                .statusCode(200);
    }

    private static Process startAgent(String serial, String claim, Path stateDir, Map<String, String> extra)
            throws IOException {
        int tlsPort = ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.port", Integer.class);
        String serverCertificate = ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.certificate", String.class);
        Map<String, String> settings = new HashMap<>(Map.of(
                "FLEETCAST_SERVER_URI",
                "ssl://127.0.0.1:" + tlsPort,
                "FLEETCAST_TLS_MODE",
                "certificate",
                "FLEETCAST_TLS_TRUST",
                Path.of(serverCertificate).toAbsolutePath().toString(),
                "FLEETCAST_CLAIM_TOKEN",
                claim,
                "FLEETCAST_DEVICE_FIRMWARE_VERSION",
                "4.2.0",
                "FLEETCAST_STATE_DIR",
                stateDir.toString()));
        settings.putAll(extra);
        return AgentProcess.start(serial, settings);
    }
}
