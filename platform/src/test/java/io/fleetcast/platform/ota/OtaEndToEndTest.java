package io.fleetcast.platform.ota;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.platform.gateway.lwm2m.Lwm2mServer;
import io.fleetcast.platform.gateway.lwm2m.RecordingOtaReports;
import io.fleetcast.platform.ota.rollout.RolloutEngine;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OTA end to end with the real device agent: a mixed MQTT and LwM2M fleet of 100 agents takes a
 * rollout in three groups (delta where the base matches, full image elsewhere), injected install
 * failures on devices of both transports pause it at its error threshold, a resume finishes it; a
 * power cut in the middle of writing the slot ends in a rollback on the next start; a bundle altered
 * after signing is refused by the device. Only the platform's scheduler tick is driven by the test
 * (it is off in tests); everything else runs as in production.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class OtaEndToEndTest {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ROLLOUTS = "/api/v1/rollouts";
    private static final int IMAGE_SIZE = 300_000;

    @Inject
    RolloutEngine engine;

    @Inject
    Pool pool;

    @Inject
    Lwm2mServer lwm2m;

    @Inject
    RecordingOtaReports reports;

    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void powerOff() throws InterruptedException {
        devices.forEach(SimulatedDevice::close);
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** A model with its signed 2.0.0 bundles, and the key file devices trust. */
    private record Firmware(
            String model,
            Path trustedKey,
            byte[] v100,
            byte[] v110,
            byte[] v200,
            long full,
            long delta,
            String fullSha256) {}

    @Test
    void mixed_fleet_takes_a_rollout_in_three_groups_pauses_at_the_error_threshold_and_finishes_after_resume()
            throws Exception {
        Firmware firmware = firmware(true);
        String claim = Api.createClaim(firmware.model(), 100);
        Map<String, SimulatedDevice> mqtt = new HashMap<>();
        Map<String, SimulatedDevice> lwm2mDevices = new HashMap<>();
        Map<String, String> installed = new HashMap<>();
        Path lwm2mServerCertificate = lwm2mServerCertificate();
        for (int i = 0; i < 20; i++) {
            String version = i % 2 == 0 ? "1.0.0" : "1.1.0";
            SimulatedDevice device =
                    device(lwm2mSettings(claim, firmware, version, lwm2mServerCertificate), firmware, version);
            lwm2mDevices.put(device.serial(), device);
            installed.put(device.serial(), version);
        }
        for (int i = 0; i < 80; i++) {
            String version = i % 2 == 0 ? "1.0.0" : "1.1.0";
            SimulatedDevice device = device(mqttSettings(claim, firmware, version), firmware, version);
            mqtt.put(device.serial(), device);
            installed.put(device.serial(), version);
        }
        // The LwM2M devices first, all of them online before the first MQTT device starts: device ids
        // grow with provisioning time and the rollout's groups follow them, so the LwM2M devices fill
        // group 1 and part of group 2, where failures are injected. Started together, the MQTT devices
        // (no DTLS handshake) can all provision first.
        lwm2mDevices.values().forEach(SimulatedDevice::start);
        await().atMost(WAIT)
                .until(() -> onlineCount(firmware.model(), "1.0.0") + onlineCount(firmware.model(), "1.1.0") == 20);
        mqtt.values().forEach(SimulatedDevice::start);
        // Online and with the version the device reported, which decides delta or full.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(onlineCount(firmware.model(), "1.0.0")).isEqualTo(50);
            assertThat(onlineCount(firmware.model(), "1.1.0")).isEqualTo(50);
        });
        Map<String, String> serialOf = new HashMap<>();
        for (String serial : installed.keySet()) {
            serialOf.put(Api.deviceIdOf(serial), serial);
        }

        String rollout = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "2.0.0 to a mixed fleet",
                        "version",
                        "2.0.0",
                        "target",
                        Map.of("filter", Map.of("models", List.of(firmware.model()))),
                        "groups",
                        List.of(Map.of("count", 10), Map.of("count", 40), Map.of("percent", 100)),
                        "successThreshold",
                        75,
                        "errorThreshold",
                        10,
                        "errorMinSample",
                        20,
                        "mode",
                        "FORCED"))
                .post(ROLLOUTS)
                .then()
                .statusCode(201)
                .body("totalDevices", equalTo(100))
                .extract()
                .path("id");
        List<String> group2 = groupMembers(rollout, 2);
        assertThat(group2).hasSize(40);
        // 20 % of group 2 cannot write their slot: a few LwM2M devices (as many as the group holds, up to
        // 2), MQTT devices for the rest.
        List<String> failingLwm2m = group2.stream()
                .filter(id -> lwm2mDevices.containsKey(serialOf.get(id)))
                .sorted()
                .limit(2)
                .toList();
        assertThat(failingLwm2m).as("LwM2M devices in group 2").isNotEmpty();
        List<String> failing = new ArrayList<>(failingLwm2m);
        group2.stream()
                .filter(id -> mqtt.containsKey(serialOf.get(id)))
                .sorted()
                .limit(8 - failingLwm2m.size())
                .forEach(failing::add);
        assertThat(failing).hasSize(8);
        failing.forEach(id -> deviceOf(serialOf.get(id), mqtt, lwm2mDevices).breakFlash());

        command(rollout, "start").statusCode(200);
        tickUntil(rollout, () -> groupCount(rollout, 1, "SCHEDULED") == 0);
        await().atMost(WAIT).until(() -> groupCount(rollout, 1, "SUCCEEDED") == 10);
        assertThat(groupCount(rollout, 2, "SCHEDULED")).isEqualTo(40);

        // Group 2: the injected failures trip the error threshold (8 errors of 50 finished > 10 %).
        tickUntil(rollout, () -> groupCount(rollout, 2, "SCHEDULED") == 0);
        await().atMost(WAIT)
                .until(() -> groupCount(rollout, 2, "SUCCEEDED") == 32 && groupCount(rollout, 2, "FAILED") == 8);
        tick(rollout);
        get(rollout).body("state", equalTo("PAUSED")).body("pauseReason", equalTo("ERROR_THRESHOLD"));
        progress(rollout)
                .body("states.SUCCEEDED", equalTo(42))
                .body("states.FAILED", equalTo(8))
                .body("states.SCHEDULED", equalTo(50))
                .body("groups.state", contains("FINISHED", "RUNNING", "SCHEDULED"));
        List<Map<String, Object>> failed = given().queryParam("state", "FAILED")
                .get(ROLLOUTS + "/" + rollout + "/actions")
                .then()
                .extract()
                .path("items");
        assertThat(failed).extracting(action -> action.get("deviceId")).containsExactlyInAnyOrderElementsOf(failing);
        // Over MQTT the agent reports the failed install; over LwM2M it shows as Update Result 8.
        for (Map<String, Object> action : failed) {
            assertThat(action.get("errorCode"))
                    .as("error of %s", action.get("deviceId"))
                    .isEqualTo(failingLwm2m.contains(action.get("deviceId")) ? "UPDATE_FAILED" : "INSTALL_FAILED");
        }
        tick(rollout); // paused: nobody in group 3 is notified
        assertThat(groupCount(rollout, 3, "SCHEDULED")).isEqualTo(50);

        command(rollout, "resume").statusCode(200).body("state", equalTo("RUNNING"));
        tickUntil(rollout, () -> groupCount(rollout, 3, "SCHEDULED") == 0);
        await().atMost(WAIT).until(() -> groupCount(rollout, 3, "SUCCEEDED") == 50);
        tick(rollout);
        get(rollout).body("state", equalTo("FINISHED"));
        progress(rollout)
                .body("totalDevices", equalTo(100))
                .body("states.SUCCEEDED", equalTo(92))
                .body("states.FAILED", equalTo(8))
                .body("groups.state", contains("FINISHED", "FINISHED", "FINISHED"));

        // The server chose the delta for devices on its base and the full image for the others.
        Map<String, String> baseOf = assignedBases(rollout);
        assertThat(baseOf).hasSize(100);
        for (Map.Entry<String, String> action : baseOf.entrySet()) {
            String version = installed.get(serialOf.get(action.getKey()));
            assertThat(action.getValue())
                    .as("bundle assigned to a device on %s", version)
                    .isEqualTo(version.equals("1.0.0") ? "1.0.0" : "full");
        }
        // MQTT agents downloaded what they were assigned, and run 2.0.0 from the slot they wrote.
        for (Map.Entry<String, String> entry : serialOf.entrySet()) {
            SimulatedDevice device = mqtt.get(entry.getValue());
            if (device == null) {
                continue;
            }
            String version = installed.get(device.serial());
            assertThat(downloadSizes(entry.getKey()))
                    .as("bytes %s on %s downloaded", device.serial(), version)
                    .containsOnly(version.equals("1.0.0") ? firmware.delta() : firmware.full());
            boolean broken = failing.contains(entry.getKey());
            assertThat(device.boots()).isEqualTo(broken ? 1 : 2);
            if (!broken) {
                assertThat(device.image("b")).isEqualTo(firmware.v200());
            }
            await().atMost(WAIT).untilAsserted(() -> Api.device(entry.getKey())
                    .body("firmwareVersion", equalTo(broken ? version : "2.0.0"))
                    .body("activeSlot", equalTo(broken ? "a" : "b")));
        }
        // LwM2M agents verified and installed it into their new slot too, or kept their slot when broken.
        for (Map.Entry<String, String> entry : serialOf.entrySet()) {
            SimulatedDevice device = lwm2mDevices.get(entry.getValue());
            if (device == null) {
                continue;
            }
            String version = installed.get(device.serial());
            boolean broken = failing.contains(entry.getKey());
            assertThat(device.boots()).isEqualTo(broken ? 1 : 2);
            if (!broken) {
                assertThat(device.image("b")).isEqualTo(firmware.v200());
            }
            await().atMost(WAIT).untilAsserted(() -> Api.device(entry.getKey())
                    .body("online", equalTo(true))
                    .body("firmwareVersion", equalTo(broken ? version : "2.0.0")));
        }
    }

    private static SimulatedDevice deviceOf(
            String serial, Map<String, SimulatedDevice> mqtt, Map<String, SimulatedDevice> lwm2mDevices) {
        SimulatedDevice device = mqtt.get(serial);
        return device != null ? device : lwm2mDevices.get(serial);
    }

    @Test
    void power_cut_while_writing_the_slot_rolls_back_on_the_next_start() throws Exception {
        Firmware firmware = firmware(false);
        String serial = Api.unique("SN-cut");
        Path stateDir = Files.createTempDirectory("ota-power-cut");
        Files.createDirectories(DirectorySlotManager.imageOf(stateDir, "a").getParent());
        Files.write(DirectorySlotManager.imageOf(stateDir, "a"), firmware.v100());
        Map<String, String> env = Map.of(
                "FLEETCAST_SERVER_URI",
                "tcp://127.0.0.1:" + config("fleetcast.mqtt.port"),
                "FLEETCAST_CLAIM_TOKEN",
                Api.createClaim(firmware.model(), 1),
                "FLEETCAST_DEVICE_SERIAL",
                serial,
                "FLEETCAST_DEVICE_FIRMWARE_VERSION",
                "1.0.0",
                "FLEETCAST_STATE_DIR",
                stateDir.toString(),
                "FLEETCAST_DEVICE_HARDWARE_MODEL",
                firmware.model(),
                "FLEETCAST_OTA_TRUSTED_KEYS",
                firmware.trustedKey().toString(),
                "FLEETCAST_RECONNECT_INITIAL_DELAY_MS",
                "200",
                "FLEETCAST_RECONNECT_MAX_DELAY_MS",
                "1000");
        CompletableFuture<Void> writing = new CompletableFuture<>();
        Process first = java(PowerCutAgent.class.getName(), env, serial + "-1", PowerCutAgent.WRITING, writing);
        String deviceId = awaitOnline(serial);

        String rollout = createRollout(firmware.model());
        command(rollout, "start").statusCode(200);
        tickUntil(rollout, () -> count(rollout, "SCHEDULED") == 0);
        writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> count(rollout, "INSTALLING") == 1);

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, as a power cut
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long written = Files.size(DirectorySlotManager.imageOf(stateDir, "b"));
        assertThat(written).isPositive().isLessThan(firmware.v200().length);

        // The next start: the unmodified agent (its main class, as the runnable jar runs it).
        java("io.fleetcast.agent.Main", env, serial + "-2", null, null);
        await().atMost(WAIT).until(() -> count(rollout, "ROLLED_BACK") == 1);
        given().get(ROLLOUTS + "/" + rollout + "/actions/" + deviceId)
                .then()
                .body("state", equalTo("ROLLED_BACK"))
                .body("errorCode", equalTo("INSTALL_INTERRUPTED"));
        await().atMost(WAIT).untilAsserted(() -> Api.device(deviceId)
                .body("online", equalTo(true))
                .body("firmwareVersion", equalTo("1.0.0"))
                .body("activeSlot", equalTo("a")));
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "a")))
                .isEqualTo(firmware.v100());
        tick(rollout);
        assertThat(count(rollout, "ROLLED_BACK")).isEqualTo(1);
    }

    @Test
    void bundle_altered_after_signing_is_refused_by_the_device() throws Exception {
        Firmware firmware = firmware(false);
        String claim = Api.createClaim(firmware.model(), 1);
        SimulatedDevice device = device(mqttSettings(claim, firmware, "1.0.0"), firmware, "1.0.0");
        device.start();
        String deviceId = awaitOnline(device.serial());
        // The stored artifact is altered behind the platform's back: one payload byte flipped.
        Path artifact = artifact(firmware.fullSha256());
        byte[] bytes = Files.readAllBytes(artifact);
        bytes[bytes.length - 1] ^= 0x01;
        artifact.toFile().setWritable(true);
        Files.write(artifact, bytes);

        String rollout = createRollout(firmware.model());
        command(rollout, "start").statusCode(200);
        tickUntil(rollout, () -> count(rollout, "SCHEDULED") == 0);
        await().atMost(WAIT).until(() -> count(rollout, "FAILED") == 1);

        given().get(ROLLOUTS + "/" + rollout + "/actions/" + deviceId)
                .then()
                .body("state", equalTo("FAILED"))
                .body("errorCode", equalTo("HASH_MISMATCH"));
        assertThat(device.boots()).isEqualTo(1);
        assertThat(device.image("a")).isEqualTo(firmware.v100());
        assertThat(DirectorySlotManager.imageOf(device.stateDir(), "b")).doesNotExist();
        Api.device(deviceId).body("firmwareVersion", equalTo("1.0.0")).body("activeSlot", equalTo("a"));
    }

    // --- fleet -------------------------------------------------------------------------------------

    private Firmware firmware(boolean withDelta) throws Exception {
        String model = Api.createModel(Api.unique("tv-e2e"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("key")).statusCode(201);
        Path key = Files.createTempFile("ota-trusted", ".pem");
        Files.writeString(key, Keys.toPem(bundles.key().getPublic()));
        byte[] v100 = random(IMAGE_SIZE, 100);
        byte[] v110 = random(IMAGE_SIZE, 110);
        // 2.0.0 changes a few regions of 1.0.0 and grows: a delta from 1.0.0 is small.
        byte[] v200 = java.util.Arrays.copyOf(v100, IMAGE_SIZE + 20_000);
        byte[] changes = random(20_000, 200);
        System.arraycopy(changes, 0, v200, IMAGE_SIZE, 20_000);
        System.arraycopy(changes, 0, v200, 50_000, 5_000);
        byte[] full = bundles.fullOf("2.0.0", List.of(model), v200);
        String sha = Bundles.publish(full).statusCode(201).extract().path("sha256");
        int deltaSize = -1;
        if (withDelta) {
            byte[] delta = bundles.deltaOf("2.0.0", "1.0.0", List.of(model), v100, v200);
            Bundles.publish(delta).statusCode(201);
            deltaSize = delta.length;
            assertThat(deltaSize).isLessThan(full.length / 4);
        }
        return new Firmware(model, key, v100, v110, v200, full.length, deltaSize, sha);
    }

    private SimulatedDevice device(AgentConfig.Builder settings, Firmware firmware, String version) throws IOException {
        String serial = settings.build().serial();
        SimulatedDevice device = new SimulatedDevice(
                serial,
                Files.createTempDirectory("ota-e2e-" + serial),
                settings,
                version.equals("1.0.0") ? firmware.v100() : firmware.v110());
        devices.add(device);
        return device;
    }

    private static AgentConfig.Builder mqttSettings(String claim, Firmware firmware, String version) {
        return AgentConfig.builder()
                .serverUri("tcp://127.0.0.1:" + config("fleetcast.mqtt.port"))
                .claimToken(claim)
                .serial(Api.unique("SN-mqtt"))
                .firmwareVersion(version)
                .stateDir(Path.of("unused"))
                .hardwareModel(firmware.model())
                .otaTrustedKeys(List.of(firmware.trustedKey()));
    }

    /** Provisioned over MQTT with a certificate, then registered over LwM2M with it. */
    private static AgentConfig.Builder lwm2mSettings(
            String claim, Firmware firmware, String version, Path lwm2mServerCertificate) {
        return AgentConfig.builder()
                .serverUri("ssl://127.0.0.1:" + config("fleetcast.mqtt.tls.port"))
                .tlsMode(AgentConfig.TlsMode.CERTIFICATE)
                .tlsTrust(Path.of(config("fleetcast.mqtt.tls.certificate")).toAbsolutePath())
                .transport(AgentConfig.Transport.LWM2M)
                .lwm2mServerUri("coaps://127.0.0.1:" + config("fleetcast.lwm2m.secure-port"))
                .lwm2mServerCertificate(lwm2mServerCertificate)
                .claimToken(claim)
                .serial(Api.unique("SN-lwm2m"))
                .firmwareVersion(version)
                .stateDir(Path.of("unused"))
                .hardwareModel(firmware.model())
                .otaTrustedKeys(List.of(firmware.trustedKey()));
    }

    private Path lwm2mServerCertificate() throws Exception {
        Path pem = Files.createTempFile("lwm2m-server", ".pem");
        Files.writeString(
                pem,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(lwm2m.certificate().getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        return pem;
    }

    /**
     * Starts a JVM on the test's class path; its output goes to {@code target/agent-<name>.log}, and
     * {@code seen} completes once it printed the line {@code marker}.
     */
    private Process java(
            String mainClass, Map<String, String> env, String name, String marker, CompletableFuture<Void> seen)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), mainClass)
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        Path log = Path.of("target", "agent-" + name + ".log");
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            out.println(line);
                            out.flush();
                            if (seen != null && line.equals(marker)) {
                                seen.complete(null);
                            }
                        }
                    } catch (IOException e) {
                        // the process was killed
                    }
                },
                "output-" + name);
        pump.setDaemon(true);
        pump.start();
        return process;
    }

    private static String awaitOnline(String serial) {
        return await().atMost(WAIT)
                .until(
                        () -> given().queryParam("serial", serial)
                                .queryParam("online", true)
                                .get("/api/v1/devices")
                                .then()
                                .extract()
                                .<String>path("items[0].id"),
                        id -> id != null);
    }

    private static int onlineCount(String model, String version) {
        return given().queryParam("model", model)
                .queryParam("firmware", version)
                .queryParam("online", true)
                .get("/api/v1/devices/count")
                .then()
                .statusCode(200)
                .extract()
                .path("count");
    }

    private Path artifact(String sha256) {
        return Path.of(ConfigProvider.getConfig().getValue("fleetcast.ota.artifact-directory", String.class))
                .resolve(sha256.substring(0, 2))
                .resolve(sha256);
    }

    // --- rollouts ----------------------------------------------------------------------------------

    private static String createRollout(String model) {
        return given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        Api.unique("rollout"),
                        "version",
                        "2.0.0",
                        "target",
                        Map.of("filter", Map.of("models", List.of(model))),
                        "mode",
                        "FORCED"))
                .post(ROLLOUTS)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private void tick(String rollout) {
        engine.tick(UUID.fromString(rollout), Instant.now()).await().indefinitely();
    }

    /** Ticks as the scheduler would, until the condition holds (a tick may open a group, the next notify). */
    private void tickUntil(String rollout, java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            tick(rollout);
            return condition.call();
        });
    }

    private static ValidatableResponse command(String rollout, String command) {
        return given().post(ROLLOUTS + "/" + rollout + "/" + command).then();
    }

    private static ValidatableResponse get(String rollout) {
        return given().get(ROLLOUTS + "/" + rollout).then().statusCode(200);
    }

    private static ValidatableResponse progress(String rollout) {
        return given().get(ROLLOUTS + "/" + rollout + "/progress").then().statusCode(200);
    }

    private static long count(String rollout, String state) {
        Object n = progress(rollout).extract().path("states." + state);
        return n == null ? 0 : ((Number) n).longValue();
    }

    private static long groupCount(String rollout, int group, String state) {
        Object n = progress(rollout).extract().path("groups[" + (group - 1) + "].states." + state);
        return n == null ? 0 : ((Number) n).longValue();
    }

    private static List<String> groupMembers(String rollout, int group) {
        return given().queryParam("group", group)
                .queryParam("limit", 1000)
                .get(ROLLOUTS + "/" + rollout + "/actions")
                .then()
                .statusCode(200)
                .extract()
                .path("items.deviceId");
    }

    /** Per device, the base version of the bundle its action was given, or "full". */
    private Map<String, String> assignedBases(String rollout) {
        Map<String, String> bases = new HashMap<>();
        for (Row row : pool.preparedQuery("SELECT a.device_id, b.base_version FROM rollout_actions a"
                        + " JOIN firmware_bundles b ON b.id = a.bundle_id WHERE a.rollout_id = $1")
                .execute(Tuple.of(UUID.fromString(rollout)))
                .await()
                .indefinitely()) {
            String base = row.getString("base_version");
            bases.put(row.getUUID("device_id").toString(), base == null ? "full" : base);
        }
        return bases;
    }

    /** The bundle sizes a device announced in its DOWNLOADING reports. */
    private Set<Long> downloadSizes(String deviceId) throws InterruptedException {
        Set<Long> sizes = new HashSet<>();
        for (OtaReport report = reports.next(deviceId, 0); report != null; report = reports.next(deviceId, 0)) {
            if (report.state() == OtaState.DOWNLOADING && report.bytesTotal() != null) {
                sizes.add(report.bytesTotal());
            }
        }
        return sizes;
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
