package io.fleetcast.platform.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.fleetcast.platform.testing.AgentProcess;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device agent's runnable jar, started as its own process, against the running platform: it
 * provisions with a claim, connects, reports, and comes back after restarts with its credential.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class AgentEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Process agent;

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.destroyForcibly();
        }
    }

    @Test
    void agent_provisions_connects_reports_and_reuses_its_credential() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String claim = Api.createClaim(model, 10);
        String serial = Api.unique("SN");
        Path stateDir = Files.createTempDirectory("agent-state");

        agent = startAgent(serial, claim, stateDir, "4.2.0");

        String deviceId = AgentProcess.awaitDeviceId(serial, WAIT);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(true))
                .body("firmwareVersion", equalTo("4.2.0"))
                .body("status", equalTo("ACTIVE")));
        assertThat(Files.exists(stateDir.resolve("credential.json"))).isTrue();

        // SIGTERM: the agent says goodbye with DISCONNECT.
        AgentProcess.stop(agent);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CLIENT_DISCONNECT")));

        // A restart connects with the stored credential: same device, no new use of the claim.
        agent = startAgent(serial, claim, stateDir, "4.2.0");
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId).body("online", equalTo(true)));
        given().get("/api/v1/claims/" + claim.substring(0, claim.indexOf('.')))
                .then()
                .body("uses", equalTo(1));
        given().get("/api/v1/devices?serial=" + serial).then().body("items", hasSize(1));

        // Power cut: the platform notices the lost connection.
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CONNECTION_LOST")));

        // Disabled: the running agent is cut off and its reconnects are refused.
        agent = startAgent(serial, claim, stateDir, "4.2.1");
        await().atMost(WAIT)
                .untilAsserted(() ->
                        Api.device(deviceId).body("online", equalTo(true)).body("firmwareVersion", equalTo("4.2.1")));
        given().post("/api/v1/devices/" + deviceId + "/disable").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("DISABLED")));
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false)));
        assertThat(agent.isAlive()).isTrue();
    }

    private static Process startAgent(String serial, String claim, Path stateDir, String firmware) throws IOException {
        return AgentProcess.start(
                serial,
                Map.of(
                        "FLEETCAST_SERVER_URI",
                        MqttDevices.uri(),
                        "FLEETCAST_CLAIM_TOKEN",
                        claim,
                        "FLEETCAST_DEVICE_FIRMWARE_VERSION",
                        firmware,
                        "FLEETCAST_STATE_DIR",
                        stateDir.toString()));
    }
}
