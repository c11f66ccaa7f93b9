package io.fleetcast.platform.gateway.lwm2m;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.lwm2m.Lwm2mFirmware;
import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.platform.device.DeviceMessages;
import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.DeviceKeys;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Lwm2mDevices;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.leshan.core.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LwM2M devices against the platform's Leshan server over real UDP and DTLS: registration as presence and
 * reported state, refusals, and OTA assignments carried out through object 5 by the agent's own
 * firmware path: real signed bundles, verified and installed into A/B slots, a reboot, and the
 * registration after it as the health check.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class Lwm2mGatewayTest {

    private static final Duration PRESENCE = Duration.ofSeconds(20);
    private static final long REPORT_WAIT_SECONDS = 30;
    private static final String MODEL = "tv-1";

    @Inject
    Lwm2mServer server;

    @Inject
    DeviceMessages messages;

    @Inject
    RecordingOtaReports reports;

    private HttpServer bundles;
    private final Bundles signer = new Bundles();
    private byte[] bundle;
    private Path trustedKey;
    /** Held shut until the test has seen DOWNLOADING, so the report cannot be skipped by a fast download. */
    private final CountDownLatch downloadGate = new CountDownLatch(1);

    /** A device provisioned with a CSR: its key and certificate. */
    record CertifiedDevice(String deviceId, KeyPair key, X509Certificate certificate) {}

    @BeforeEach
    void serveBundles() throws Exception {
        bundle = signer.full("2.0.0", List.of(MODEL), 50_000);
        trustedKey = Files.createTempFile(Files.createDirectories(Path.of("target")), "lwm2m-ota", ".pem");
        Files.writeString(trustedKey, Keys.toPem(signer.key().getPublic()));
        bundles = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bundles.createContext("/bundle", exchange -> {
            try {
                downloadGate.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, bundle.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bundle);
            }
        });
        bundles.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        bundles.start();
    }

    @AfterEach
    void stopBundles() {
        downloadGate.countDown();
        bundles.stop(0);
    }

    @Test
    void registered_device_is_online_with_the_firmware_version_of_object_3() throws Exception {
        CertifiedDevice device = provisionWithCsr();

        try (Lwm2mDevices.Device client = register(device, "1.4.2")) {
            assertThat(client.outcome()
                            .get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS)
                            .registered())
                    .isTrue();

            await().atMost(PRESENCE).untilAsserted(() -> Api.device(device.deviceId())
                    .statusCode(200)
                    .body("online", equalTo(true))
                    .body("firmwareVersion", equalTo("1.4.2")));
        }
    }

    @Test
    void deregistration_marks_the_device_offline() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        Lwm2mDevices.Device client = register(device, "1.0.0");
        assertThat(client.outcome().get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS).registered())
                .isTrue();
        await().atMost(PRESENCE)
                .untilAsserted(() -> Api.device(device.deviceId()).body("online", equalTo(true)));

        client.close();

        await().atMost(PRESENCE).untilAsserted(() -> Api.device(device.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CLIENT_DISCONNECT")));
    }

    @Test
    void disabling_a_device_ends_its_registration() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        try (Lwm2mDevices.Device client = register(device, "1.0.0")) {
            awaitOnline(device, client);

            given().post("/api/v1/devices/" + device.deviceId() + "/disable")
                    .then()
                    .statusCode(200);

            await().atMost(PRESENCE).untilAsserted(() -> Api.device(device.deviceId())
                    .body("online", equalTo(false))
                    .body("lastDisconnectReason", equalTo("DISABLED")));
            assertThat(server.registered(device.deviceId())).isFalse();
        }
    }

    @Test
    void revoking_the_certificate_ends_the_registration_and_refuses_the_next() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        try (Lwm2mDevices.Device client = register(device, "1.0.0")) {
            awaitOnline(device, client);
            String serial = given().get("/api/v1/devices/" + device.deviceId() + "/certificates")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("[0].serial");

            given().post("/api/v1/devices/" + device.deviceId() + "/certificates/" + serial + "/revoke")
                    .then()
                    .statusCode(200);

            await().atMost(PRESENCE).untilAsserted(() -> Api.device(device.deviceId())
                    .body("online", equalTo(false))
                    .body("lastDisconnectReason", equalTo("CERTIFICATE_REVOKED")));
        }
        try (Lwm2mDevices.Device again = register(device, "1.0.0")) {
            assertThat(again.outcome()
                            .get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS)
                            .refusal())
                    .isEqualTo(ResponseCode.FORBIDDEN);
        }
    }

    @Test
    void refuses_registration_without_security() throws Exception {
        CertifiedDevice device = provisionWithCsr();

        try (Lwm2mDevices.Device client = Lwm2mDevices.insecure(device.deviceId(), firmware("1.0.0", () -> {}))) {
            Lwm2mDevices.Outcome outcome = client.outcome().get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(outcome.registered()).isFalse();
            assertThat(outcome.refusal()).isEqualTo(ResponseCode.FORBIDDEN);
        }
        Api.device(device.deviceId()).body("online", equalTo(false));
    }

    @Test
    void refuses_a_device_certificate_used_for_another_endpoint() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        CertifiedDevice other = provisionWithCsr();

        try (Lwm2mDevices.Device client = Lwm2mDevices.secure(
                other.deviceId(),
                device.certificate(),
                device.key().getPrivate(),
                server.certificate(),
                firmware("1.0.0", () -> {}))) {
            Lwm2mDevices.Outcome outcome = client.outcome().get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(outcome.refusal()).isEqualTo(ResponseCode.FORBIDDEN);
        }
        Api.device(other.deviceId()).body("online", equalTo(false));
    }

    @Test
    void refuses_a_certificate_from_a_foreign_ca_in_the_handshake() throws Exception {
        String unknown = UUID.randomUUID().toString();
        KeyPair key = DeviceKeys.newKey();
        List<X509Certificate> chain = DeviceKeys.foreignChain(key, unknown);

        try (Lwm2mDevices.Device client = Lwm2mDevices.secure(
                unknown, chain.get(0), key.getPrivate(), server.certificate(), firmware("1.0.0", () -> {}))) {
            Lwm2mDevices.Outcome outcome = client.outcome().get(REPORT_WAIT_SECONDS * 4, TimeUnit.SECONDS);

            assertThat(outcome.registered()).isFalse();
        }
    }

    @Test
    void ota_assignment_sent_through_device_messages_is_verified_installed_and_committed_after_the_reboot()
            throws Exception {
        CertifiedDevice device = provisionWithCsr();
        Path stateDir = newStateDir();
        AtomicReference<Lwm2mDevices.Device> running = new AtomicReference<>();
        // The reboot: this run of the device ends, the next boots the trial slot and registers again.
        RebootHook reboot = () -> restart(running, () -> register(device, firmware(stateDir, "1.0.0", () -> {})));
        running.set(register(device, firmware(stateDir, "1.0.0", reboot)));
        try {
            awaitOnline(device, running.get());

            assertThat(messages.send(device.deviceId(), Topics.OTA, assignment("rollout-1:1", "/bundle")))
                    .isTrue();

            OtaReport downloading = nextReport(device);
            assertThat(downloading.actionId()).isEqualTo("rollout-1:1");
            assertThat(downloading.state()).isEqualTo(OtaState.DOWNLOADING);
            downloadGate.countDown();
            assertThat(nextReport(device).state()).isEqualTo(OtaState.DOWNLOADED);
            assertThat(nextReport(device).state()).isEqualTo(OtaState.INSTALLING);
            OtaReport succeeded = nextReport(device);
            assertThat(succeeded.state()).isEqualTo(OtaState.SUCCEEDED);
            assertThat(succeeded.version()).isEqualTo("2.0.0");

            await().atMost(PRESENCE)
                    .untilAsserted(() -> Api.device(device.deviceId()).body("firmwareVersion", equalTo("2.0.0")));
            assertThat(running.get().agentFirmware().decided().activeSlot()).isEqualTo("b");
        } finally {
            running.get().close();
        }
    }

    @Test
    void a_new_firmware_that_dies_before_its_health_check_is_reported_rolled_back() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        Path stateDir = newStateDir();
        AtomicReference<Lwm2mDevices.Device> running = new AtomicReference<>();
        RebootHook reboot = () -> restart(running, () -> {
            // The trial boot dies before it reaches the server; the bootloader falls back at the next boot.
            firmware(stateDir, "1.0.0", () -> {}).close();
            return register(device, firmware(stateDir, "1.0.0", () -> {}));
        });
        running.set(register(device, firmware(stateDir, "1.0.0", reboot)));
        try {
            awaitOnline(device, running.get());
            downloadGate.countDown();
            messages.send(device.deviceId(), Topics.OTA, assignment("rollout-5:1", "/bundle"));

            OtaReport report = nextReport(device);
            while (!report.state().terminal()) {
                report = nextReport(device);
            }
            assertThat(report.actionId()).isEqualTo("rollout-5:1");
            assertThat(report.state()).isEqualTo(OtaState.ROLLED_BACK);
            assertThat(report.errorCode()).isEqualTo("HEALTH_CHECK_FAILED");
            await().atMost(PRESENCE)
                    .untilAsserted(() -> Api.device(device.deviceId()).body("firmwareVersion", equalTo("1.0.0")));
        } finally {
            running.get().close();
        }
    }

    @Test
    void a_bundle_for_another_model_is_refused_on_the_device() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        bundle = signer.full("2.0.0", List.of("radio-1"), 20_000);
        try (Lwm2mDevices.Device client = register(device, "1.0.0")) {
            awaitOnline(device, client);
            downloadGate.countDown();
            messages.send(device.deviceId(), Topics.OTA, assignment("rollout-6:1", "/bundle"));

            OtaReport report = nextReport(device);
            while (!report.state().terminal()) {
                report = nextReport(device);
            }
            assertThat(report.state()).isEqualTo(OtaState.REJECTED);
            assertThat(report.errorCode()).isEqualTo("UNSUPPORTED_PACKAGE");
            assertThat(client.agentFirmware().decided().activeSlot()).isEqualTo("a");
        }
    }

    /** Ends this run of the device and starts the next, off the thread that asked for the reboot. */
    private static void restart(
            AtomicReference<Lwm2mDevices.Device> running, java.util.concurrent.Callable<Lwm2mDevices.Device> next) {
        Thread boot = new Thread(() -> {
            running.get().close();
            try {
                running.set(next.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        boot.start();
    }

    @Test
    void failed_download_is_reported_with_its_error_code() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        try (Lwm2mDevices.Device client = register(device, "1.0.0")) {
            awaitOnline(device, client);

            messages.send(device.deviceId(), Topics.OTA, assignment("rollout-2:1", "/missing"));

            OtaReport report = nextReport(device);
            while (report.state() == OtaState.DOWNLOADING) {
                report = nextReport(device);
            }
            assertThat(report.actionId()).isEqualTo("rollout-2:1");
            assertThat(report.state()).isEqualTo(OtaState.FAILED);
            assertThat(report.errorCode()).isEqualTo("INVALID_URI");
        }
    }

    @Test
    void cancel_resets_object_5_and_reports_canceled() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        try (Lwm2mDevices.Device client = register(device, "1.0.0")) {
            awaitOnline(device, client);
            messages.send(device.deviceId(), Topics.OTA, assignment("rollout-3:1", "/bundle"));
            assertThat(nextReport(device).state()).isEqualTo(OtaState.DOWNLOADING);

            messages.send(device.deviceId(), Topics.OTA, Json.encode(OtaAssignment.cancel("rollout-3:1")));

            OtaReport canceled = nextReport(device);
            assertThat(canceled.actionId()).isEqualTo("rollout-3:1");
            assertThat(canceled.state()).isEqualTo(OtaState.CANCELED);
        }
    }

    @Test
    void messages_for_a_device_that_is_not_registered_are_not_taken() {
        assertThat(messages.send(UUID.randomUUID().toString(), Topics.OTA, assignment("rollout-4:1", "/bundle")))
                .isFalse();
    }

    private byte[] assignment(String actionId, String path) {
        String url = "http://127.0.0.1:" + bundles.getAddress().getPort() + path;
        return Json.encode(new OtaAssignment(
                actionId, false, "2.0.0", url, (long) bundle.length, false, null, OtaMode.FORCED, false, null, null));
    }

    private OtaReport nextReport(CertifiedDevice device) throws InterruptedException {
        OtaReport report = reports.next(device.deviceId(), REPORT_WAIT_SECONDS);
        assertThat(report).as("an OTA report from %s", device.deviceId()).isNotNull();
        return report;
    }

    private static void awaitOnline(CertifiedDevice device, Lwm2mDevices.Device client) throws Exception {
        assertThat(client.outcome().get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS).registered())
                .isTrue();
        await().atMost(PRESENCE)
                .untilAsserted(() -> Api.device(device.deviceId()).body("online", equalTo(true)));
    }

    private Lwm2mDevices.Device register(CertifiedDevice device, String firmwareVersion) {
        return register(device, firmware(firmwareVersion, () -> {}));
    }

    private Lwm2mDevices.Device register(CertifiedDevice device, Lwm2mFirmware firmware) {
        return Lwm2mDevices.secure(
                device.deviceId(), device.certificate(), device.key().getPrivate(), server.certificate(), firmware);
    }

    /** The agent's firmware path on fresh slots. */
    private Lwm2mFirmware firmware(String version, RebootHook reboot) {
        return firmware(newStateDir(), version, reboot);
    }

    /** One boot of the agent's firmware path on the slots under {@code stateDir}. */
    private Lwm2mFirmware firmware(Path stateDir, String version, RebootHook reboot) {
        return Lwm2mFirmware.boot(AgentConfig.builder()
                .serverUri("tcp://127.0.0.1:1")
                .serial("SN-lwm2m")
                .firmwareVersion(version)
                .stateDir(stateDir)
                .hardwareModel(MODEL)
                .otaTrustedKeys(List.of(trustedKey))
                .rebootHook(reboot)
                .build());
    }

    private static Path newStateDir() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "lwm2m-device");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CertifiedDevice provisionWithCsr() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        KeyPair key = DeviceKeys.newKey();
        String serial = Api.unique("SN");
        ProvisionResponse response = MqttDevices.provision(
                claim,
                Json.encode(new ProvisionRequest(
                        UUID.randomUUID().toString(), serial, "1.0.0", DeviceKeys.csr(key, serial))));
        assertThat(response.isSuccess()).as("provisioned: %s", response).isTrue();
        return new CertifiedDevice(
                response.deviceId(),
                key,
                DeviceKeys.chain(response.certificate()).get(0));
    }
}
