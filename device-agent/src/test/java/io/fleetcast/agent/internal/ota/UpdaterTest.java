package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.TrustedKeys;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The updater against a real HTTP server and the real slot directories, without the platform. */
class UpdaterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    private BundleServer server;
    private TestBundles bundles;
    private final List<OtaReport> reports = new CopyOnWriteArrayList<>();
    private final List<String> consentAsked = new CopyOnWriteArrayList<>();
    private final AtomicInteger reboots = new AtomicInteger();
    private final byte[] factoryImage = TestBundles.image(400_000, 1);
    private Updater updater;
    private SlotManager.Boot lastBoot;

    @BeforeEach
    void setUp() throws Exception {
        server = new BundleServer();
        bundles = new TestBundles(Files.createDirectories(stateDir.resolve("fixtures")));
        Path slotA = DirectorySlotManager.imageOf(stateDir, "a");
        Files.createDirectories(slotA.getParent());
        Files.write(slotA, factoryImage);
    }

    @AfterEach
    void tearDown() {
        if (updater != null) {
            updater.close();
        }
        server.close();
    }

    private Updater start(boolean autoConsent) throws Exception {
        if (updater != null) {
            updater.close();
        }
        reports.clear();
        UpdaterSettings settings = new UpdaterSettings(
                stateDir.resolve("ota"),
                TrustedKeys.of(bundles.key.getPublic()),
                "tv-55",
                autoConsent,
                Duration.ofMinutes(5),
                25);
        BundleDownloader downloader = new BundleDownloader(
                5, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(20), (d, c) -> {});
        updater = new Updater(
                settings,
                new DirectorySlotManager(stateDir, "a", "1.0.0"),
                reboots::incrementAndGet,
                CLOCK,
                report -> {
                    reports.add(report);
                    return CompletableFuture.completedFuture(null);
                },
                (actionId, version) -> consentAsked.add(actionId),
                downloader);
        lastBoot = updater.boot();
        return updater;
    }

    private static OtaAssignment assignment(
            String actionId, String version, String url, OtaMode mode, boolean consent) {
        return new OtaAssignment(actionId, false, version, url, null, false, null, mode, consent, null, null);
    }

    private List<OtaState> states() {
        return reports.stream().map(OtaReport::state).distinct().toList();
    }

    private OtaReport last() {
        return reports.get(reports.size() - 1);
    }

    private void runToEnd(OtaAssignment assignment) throws Exception {
        updater.assign(assignment);
        assertThat(updater.awaitIdle(WAIT)).isTrue();
    }

    @Test
    void installs_a_full_bundle_into_the_inactive_slot_reboots_and_commits_after_the_health_check() throws Exception {
        byte[] image = TestBundles.image(500_000, 2);
        String url = server.put("full.fcota", bundles.full("2.0.0", image));
        start(true);

        runToEnd(assignment("act-1", "2.0.0", url, OtaMode.FORCED, false));

        assertThat(states())
                .containsExactly(OtaState.DOWNLOADING, OtaState.DOWNLOADED, OtaState.INSTALLING, OtaState.REBOOTING);
        assertThat(reboots).hasValue(1);
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);

        // After the "reboot": the bootloader tries slot b once; the health check commits it.
        start(true);
        assertThat(lastBoot.activeSlot()).isEqualTo("b");
        assertThat(lastBoot.activeVersion()).isEqualTo("2.0.0");
        assertThat(lastBoot.trial()).isEqualTo(new SlotManager.Trial("act-1", "2.0.0"));
        updater.healthy();
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports)
                .containsExactly(new OtaReport("act-1", OtaState.SUCCEEDED, null, null, "2.0.0", null, null));

        SlotManager.Boot next = new DirectorySlotManager(stateDir, "a", "1.0.0").boot();
        assertThat(next).isEqualTo(new SlotManager.Boot("b", "2.0.0", null, null));
    }

    @Test
    void delta_bundles_apply_against_the_active_slot() throws Exception {
        for (DeltaAlgorithm algorithm : DeltaAlgorithm.values()) {
            byte[] image = TestBundles.edited(factoryImage, algorithm.ordinal());
            String url = server.put(
                    algorithm.id() + ".fcota", bundles.delta("2.0.0", "1.0.0", factoryImage, image, algorithm));
            start(true);
            runToEnd(assignment("act-" + algorithm.id(), "2.0.0", url, OtaMode.FORCED, false));
            assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.REBOOTING);
            assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                    .isEqualTo(image);
            // Forget the trial so that the next algorithm starts from slot a again.
            Files.delete(stateDir.resolve("slots").resolve(DirectorySlotManager.STATE_FILE));
        }
    }
}
