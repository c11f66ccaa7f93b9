package io.fleetcast.platform.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.platform.device.DeviceMessages;
import io.fleetcast.platform.gateway.lwm2m.Lwm2mServer;
import io.fleetcast.platform.gateway.lwm2m.RecordingOtaReports;
import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.AgentProcess;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's runnable jar in LwM2M mode, as its own process: it provisions over MQTT with a CSR,
 * registers over DTLS with its certificate, takes a signed firmware bundle through object 5 (download,
 * verification, the inactive slot, a reboot as the exit code a supervisor restarts it on), commits it
 * when it registers again after the restart, and deregisters on SIGTERM.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class AgentLwm2mEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    @Inject
    Lwm2mServer server;

    @Inject
    DeviceMessages messages;

    @Inject
    RecordingOtaReports reports;

    private Process agent;
    private HttpServer bundles;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.destroyForcibly();
        }
        if (bundles != null) {
            bundles.stop(0);
        }
    }

    @Test
    void agent_registers_over_lwm2m_takes_a_firmware_package_and_deregisters() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String claim = Api.createClaim(model, 5);
        String serial = Api.unique("SN");
        Path stateDir = Files.createTempDirectory("agent-lwm2m-state");
        Bundles firmware = new Bundles();
        Path trustedKey = stateDir.resolveSibling(stateDir.getFileName() + "-ota-key.pem");
        Files.writeString(trustedKey, Keys.toPem(firmware.key().getPublic()));
        Map<String, String> settings = new HashMap<>(settings(claim, stateDir));
        settings.put("FLEETCAST_DEVICE_HARDWARE_MODEL", model);
        settings.put("FLEETCAST_OTA_TRUSTED_KEYS", trustedKey.toString());
        agent = AgentProcess.start(serial, settings);

        String deviceId = AgentProcess.awaitDeviceId(serial, WAIT);
        await().atMost(WAIT).until(() -> server.registered(deviceId));
        await().atMost(WAIT)
                .untilAsserted(() ->
                        Api.device(deviceId).body("online", equalTo(true)).body("firmwareVersion", equalTo("4.2.0")));

        byte[] image = new byte[64 * 1024];
        new Random(43).nextBytes(image);
        byte[] bundle = firmware.fullOf("4.3.0", List.of(model), image);
        serve(bundle);
        String url = "http://127.0.0.1:" + bundles.getAddress().getPort() + "/bundle";
        assertThat(messages.send(
                        deviceId,
                        Topics.OTA,
                        Json.encode(new OtaAssignment(
                                "rollout-9:1",
                                false,
                                "4.3.0",
                                url,
                                (long) bundle.length,
                                false,
                                null,
                                OtaMode.FORCED,
                                false,
                                null,
                                null))))
                .isTrue();

        // Verified and written to the inactive slot, the agent "reboots": it exits for its supervisor.
        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the agent exits to reboot")
                .isTrue();
        assertThat(agent.exitValue()).isEqualTo(RebootHook.EXIT_CODE);
        agent = AgentProcess.start(serial, settings);

        List<OtaState> states = new ArrayList<>();
        OtaReport report;
        do {
            report = reports.next(deviceId, WAIT.toSeconds());
            assertThat(report).as("reports so far: %s", states).isNotNull();
            states.add(report.state());
        } while (!report.state().terminal());
        assertThat(report.state()).as("reports: %s", states).isEqualTo(OtaState.SUCCEEDED);
        assertThat(states)
                .isSubsetOf(
                        OtaState.DOWNLOADING,
                        OtaState.DOWNLOADED,
                        OtaState.INSTALLING,
                        OtaState.REBOOTING,
                        OtaState.SUCCEEDED);
        assertThat(DirectorySlotManager.imageOf(stateDir, "b")).hasBinaryContent(image);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId).body("firmwareVersion", equalTo("4.3.0")));

        AgentProcess.stop(agent);
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CLIENT_DISCONNECT")));
    }

    private Map<String, String> settings(String claim, Path stateDir) throws Exception {
        int tlsPort = ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.port", Integer.class);
        int lwm2mPort = ConfigProvider.getConfig().getValue("fleetcast.lwm2m.secure-port", Integer.class);
        String mqttCertificate = ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.certificate", String.class);
        Path lwm2mCertificate = stateDir.resolveSibling(stateDir.getFileName() + "-lwm2m-server.pem");
        Files.writeString(
                lwm2mCertificate,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(server.certificate().getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        return Map.of(
                "FLEETCAST_SERVER_URI",
                "ssl://127.0.0.1:" + tlsPort,
                "FLEETCAST_TLS_MODE",
                "certificate",
                "FLEETCAST_TLS_TRUST",
                Path.of(mqttCertificate).toAbsolutePath().toString(),
                "FLEETCAST_CLAIM_TOKEN",
                claim,
                "FLEETCAST_DEVICE_FIRMWARE_VERSION",
                "4.2.0",
                "FLEETCAST_STATE_DIR",
                stateDir.toString(),
                "FLEETCAST_TRANSPORT",
                "lwm2m",
                "FLEETCAST_LWM2M_SERVER_URI",
                "coaps://127.0.0.1:" + lwm2mPort,
                "FLEETCAST_LWM2M_SERVER_CERTIFICATE",
                lwm2mCertificate.toString());
    }

    private void serve(byte[] bundle) throws Exception {
        bundles = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bundles.createContext("/bundle", exchange -> {
            exchange.sendResponseHeaders(200, bundle.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bundle);
            }
        });
        bundles.start();
    }
}
