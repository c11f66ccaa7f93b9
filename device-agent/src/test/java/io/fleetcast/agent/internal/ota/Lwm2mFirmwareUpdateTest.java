package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.lwm2m.Lwm2mFirmware;
import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.Manifest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's LwM2M firmware path (object 5 over the shared updater code) against a real HTTP server
 * and the real slot directories: what the device installs, what it refuses before touching a slot,
 * and the Update Result the server sees after the reboot.
 */
class Lwm2mFirmwareUpdateTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int STATE = 3;
    private static final int RESULT = 5;
    private static final int IDLE = 0;
    private static final int DOWNLOADED = 2;
    private static final int UPDATING = 3;

    @TempDir
    Path stateDir;

    private BundleServer server;
    private TestBundles bundles;
    private Path trustedKey;
    private final AtomicInteger reboots = new AtomicInteger();
    private final byte[] factoryImage = TestBundles.image(400_000, 1);
    private Duration healthCheckTimeout = Duration.ofMinutes(5);
    private Lwm2mFirmware device;

    @BeforeEach
    void setUp() throws Exception {
        server = new BundleServer();
        bundles = new TestBundles(Files.createDirectories(stateDir.resolve("fixtures")));
        // This test runs on the system clock, like the agent.
        bundles.createdAt = Instant.now().minus(1, ChronoUnit.DAYS);
        bundles.expiresAt = Instant.now().plus(30, ChronoUnit.DAYS);
        trustedKey = Files.writeString(stateDir.resolve("fixtures/ota.pem"), Keys.toPem(bundles.key.getPublic()));
        Path slotA = DirectorySlotManager.imageOf(stateDir, "a");
        Files.createDirectories(slotA.getParent());
        Files.write(slotA, factoryImage);
    }

    @AfterEach
    void tearDown() {
        if (device != null) {
            device.close();
        }
        server.close();
    }

    static AgentConfig.Builder config(Path stateDir, Path trustedKey) {
        return AgentConfig.builder()
                .serverUri("tcp://127.0.0.1:1883")
                .serial("SN-1")
                .firmwareVersion("1.0.0")
                .stateDir(stateDir)
                .hardwareModel("tv-55")
                .otaTrustedKeys(List.of(trustedKey));
    }

    /** One start of the device. */
    private Lwm2mFirmware start() {
        if (device != null) {
            device.close();
        }
        device = Lwm2mFirmware.boot(config(stateDir, trustedKey)
                .rebootHook(reboots::incrementAndGet)
                .otaHealthCheckTimeout(healthCheckTimeout)
                .build());
        device.firmware().setModel(model(5));
        device.device().setModel(model(3));
        return device;
    }

    private static org.eclipse.leshan.core.model.ObjectModel model(int id) {
        return ObjectLoader.loadDefault().stream()
                .filter(model -> model.id == id)
                .findFirst()
                .orElseThrow();
    }

    static long read(BaseInstanceEnabler object, int resource) {
        Object value =
                ((LwM2mResource) object.read(LwM2mServer.SYSTEM, resource).getContent()).getValue();
        return value instanceof Long number ? number : -1;
    }

    private String firmwareVersion() {
        return (String)
                ((LwM2mResource) device.device().read(LwM2mServer.SYSTEM, 3).getContent()).getValue();
    }

    private void writeUri(String url) {
        assertThat(device.firmware()
                        .write(LwM2mServer.SYSTEM, true, 1, LwM2mSingleResource.newStringResource(1, url))
                        .isSuccess())
                .isTrue();
    }

    /** Writes the Package URI and waits for the download to end; returns the Update Result. */
    private long download(String url) {
        writeUri(url);
        await().atMost(WAIT)
                .until(() -> read(device.firmware(), STATE) == DOWNLOADED || read(device.firmware(), STATE) == IDLE);
        return read(device.firmware(), RESULT);
    }

    /** Downloads and executes Update, and waits for the install to reboot the device. */
    private void install(String url) {
        int before = reboots.get();
        assertThat(download(url)).isZero();
        assertThat(device.firmware()
                        .execute(LwM2mServer.SYSTEM, 2, Arguments.emptyArguments())
                        .isSuccess())
                .isTrue();
        await().atMost(WAIT).until(() -> reboots.get() > before);
        // The install is not the outcome: until the next start knows it, /5 stays Updating.
        assertThat(read(device.firmware(), STATE)).isEqualTo(UPDATING);
        assertThat(read(device.firmware(), RESULT)).isZero();
    }

    private void assertUntouched() throws Exception {
        assertThat(reboots).hasValue(0);
        assertThat(DirectorySlotManager.imageOf(stateDir, "b")).doesNotExist();
        assertThat(new DirectorySlotManager(stateDir, "a", "1.0.0").boot())
                .isEqualTo(new SlotManager.Boot("a", "1.0.0", null, null));
    }

    @Test
    void installs_a_full_bundle_reboots_and_reports_success_once_registered() throws Exception {
        byte[] image = TestBundles.image(500_000, 2);
        String url = server.put("full.fcota", bundles.full("2.0.0", image));
        start();

        install(url);
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);

        start(); // the trial boot of slot b
        assertThat(device.decided().trial()).isNotNull();
        assertThat(firmwareVersion()).isEqualTo("2.0.0");
        assertThat(read(device.firmware(), STATE)).isEqualTo(UPDATING);
        device.registered();
        await().atMost(WAIT).until(() -> read(device.firmware(), RESULT) == 1);
        assertThat(read(device.firmware(), STATE)).isEqualTo(IDLE);

        start(); // committed: b runs, and the result stays until the server writes the next URI
        assertThat(device.decided())
                .isEqualTo(new SlotManager.Boot(
                        "b", "2.0.0", null, device.decided().outcome()));
        assertThat(read(device.firmware(), RESULT)).isEqualTo(1);
        writeUri("");
        assertThat(read(device.firmware(), RESULT)).isZero();
    }

    @Test
    void applies_a_delta_whose_base_matches_and_refuses_one_whose_base_does_not() throws Exception {
        byte[] image = TestBundles.edited(factoryImage, 5);
        String good =
                server.put("delta.fcota", bundles.delta("2.0.0", "1.0.0", factoryImage, image, DeltaAlgorithm.BSDIFF));
        String wrongBase = server.put(
                "other.fcota", bundles.delta("2.0.0", "0.9.0", factoryImage, image, DeltaAlgorithm.ZSTD_PATCH));
        start();

        assertThat(download(wrongBase)).isEqualTo(6); // unsupported package: BASE_MISMATCH
        assertUntouched();

        install(good);
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);
    }

    @Test
    void refuses_damaged_and_foreign_packages_before_touching_a_slot() throws Exception {
        byte[] image = TestBundles.image(100_000, 3);
        byte[] tampered = bundles.full("2.0.0", image);
        tampered[tampered.length - 10] ^= 0x01;
        TestBundles stranger = new TestBundles(stateDir.resolve("fixtures"));
        stranger.createdAt = bundles.createdAt;
        stranger.expiresAt = bundles.expiresAt;
        Manifest.Builder otherModel = bundles.manifest("2.0.0").hardwareModels(List.of("radio-1"));
        Manifest.Builder expired = bundles.manifest("2.0.0")
                .createdAt(Instant.now().minus(3, ChronoUnit.DAYS))
                .expiresAt(Instant.now().minus(1, ChronoUnit.HOURS));
        start();

        assertThat(download(server.put("tampered.fcota", tampered))).isEqualTo(5); // integrity check failure
        assertThat(download(server.put("stranger.fcota", stranger.full("2.0.0", image))))
                .isEqualTo(5); // signed by a key the device does not trust
        assertThat(download(server.put("model.fcota", bundles.full(otherModel, image))))
                .isEqualTo(6); // unsupported package: WRONG_MODEL
        assertThat(download(server.put("expired.fcota", bundles.full(expired, image))))
                .isEqualTo(6); // unsupported package: EXPIRED
        assertThat(download(server.put("missing.fcota", new byte[0]) + "-gone")).isEqualTo(7); // 404: invalid URI
        assertUntouched();
    }

    @Test
    void refuses_a_downgrade_below_the_anti_rollback_counter() throws Exception {
        Path slots = Files.createDirectories(stateDir.resolve("slots"));
        Files.writeString(
                slots.resolve(DirectorySlotManager.STATE_FILE),
                "{\"committedSlot\":\"a\",\"versions\":{\"a\":\"1.0.0\"},\"antiRollback\":9}");
        start();

        assertThat(download(server.put("old.fcota", bundles.full("0.9.0", TestBundles.image(50_000, 4)))))
                .isEqualTo(6); // unsupported package: DOWNGRADE

        assertThat(reboots).hasValue(0);
        assertThat(DirectorySlotManager.imageOf(stateDir, "b")).doesNotExist();
    }

    @Test
    void resumes_a_truncated_download_with_range() throws Exception {
        byte[] image = TestBundles.image(600_000, 6);
        String url = server.put("cut.fcota", bundles.full("2.0.0", image));
        server.fault = BundleServer.Fault.CUT_FIRST_RESPONSE;
        start();

        install(url);

        assertThat(server.requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(server.requests.get(0).range()).isNull();
        assertThat(server.requests.get(1).range()).startsWith("bytes=").doesNotStartWith("bytes=0-");
        assertThat(server.requests.get(1).ifRange()).isNotNull();
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);
    }

    @Test
    void a_trial_that_fails_its_health_check_rolls_back_and_reports_update_failed() throws Exception {
        String url = server.put("full.fcota", bundles.full("2.0.0", TestBundles.image(80_000, 7)));
        start();
        install(url);

        healthCheckTimeout = Duration.ofMillis(200);
        start(); // trial boot; the server is never reached
        assertThat(firmwareVersion()).isEqualTo("2.0.0");
        await().atMost(WAIT).until(() -> reboots.get() == 2); // given up, rebooted into the old slot

        healthCheckTimeout = Duration.ofMinutes(5);
        start();
        assertThat(device.decided().activeSlot()).isEqualTo("a");
        assertThat(firmwareVersion()).isEqualTo("1.0.0");
        assertThat(read(device.firmware(), STATE)).isEqualTo(IDLE);
        assertThat(read(device.firmware(), RESULT)).isEqualTo(8);
    }

    @Test
    void a_power_cut_while_writing_the_slot_keeps_the_old_slot_and_reports_update_failed() throws Exception {
        String url = server.put("full.fcota", bundles.full("2.0.0", TestBundles.image(2_000_000, 8)));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Lwm2mPowerCutChild.class.getName(),
                        stateDir.toString(),
                        trustedKey.toString(),
                        url)
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("WRITING")) {
                // startup output
            }
            assertThat(line).isEqualTo("WRITING");
            child.destroyForcibly(); // SIGKILL: like a power cut
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.size(DirectorySlotManager.imageOf(stateDir, "b"))).isPositive();

        start();

        assertThat(device.decided()).isEqualTo(new SlotManager.Boot("a", "1.0.0", null, null));
        assertThat(firmwareVersion()).isEqualTo("1.0.0");
        assertThat(read(device.firmware(), STATE)).isEqualTo(IDLE);
        assertThat(read(device.firmware(), RESULT)).isEqualTo(8);
        // The next Package URI starts afresh, and the full download is still there to finish from.
        install(url);
        start();
        assertThat(device.decided().trial()).isNotNull();
    }
}
