package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
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
    /** Whether the platform acknowledges reports; when not, they stay unanswered. */
    private volatile boolean acknowledge = true;

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
                    return acknowledge ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
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

    @Test
    void refuses_bundles_that_are_not_for_this_device_before_touching_a_slot() throws Exception {
        byte[] image = TestBundles.image(100_000, 3);
        TestBundles stranger = new TestBundles(stateDir.resolve("fixtures"));
        String untrusted = server.put("untrusted.fcota", stranger.full("2.0.0", image));
        String otherModel = server.put(
                "model.fcota", bundles.full(bundles.manifest("2.0.0").hardwareModels(List.of("tv-43")), image));
        String older =
                server.put("older.fcota", bundles.full(bundles.manifest("2.0.0").antiRollback(1), image));
        String otherBase =
                server.put("base.fcota", bundles.full(bundles.manifest("2.0.0").baseVersions(List.of("0.9.0")), image));
        String expired = server.put(
                "expired.fcota",
                bundles.full(bundles.manifest("2.0.0").expiresAt(Instant.parse("2026-11-30T00:00:00Z")), image));
        // The device has committed counter 7 before, so counter 1 is a downgrade.
        Files.createDirectories(stateDir.resolve("slots"));
        Files.writeString(
                stateDir.resolve("slots").resolve(DirectorySlotManager.STATE_FILE),
                "{\"committedSlot\":\"a\",\"versions\":{\"a\":\"1.0.0\"},\"antiRollback\":3}");
        start(true);

        assertRefused(untrusted, "BAD_SIGNATURE");
        assertRefused(otherModel, "WRONG_MODEL");
        assertRefused(older, "DOWNGRADE");
        assertRefused(otherBase, "BASE_MISMATCH");
        assertRefused(expired, "EXPIRED");
        assertThat(DirectorySlotManager.imageOf(stateDir, "b")).doesNotExist();
        assertThat(reboots).hasValue(0);
    }

    private void assertRefused(String url, String code) throws Exception {
        reports.clear();
        runToEnd(assignment("act-" + code, "2.0.0", url, OtaMode.FORCED, false));
        assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.REJECTED);
        assertThat(last().errorCode()).isEqualTo(code);
        assertThat(states()).doesNotContain(OtaState.DOWNLOADED, OtaState.INSTALLING);
    }

    @Test
    void gives_up_at_once_on_404() throws Exception {
        server.fault = BundleServer.Fault.NOT_FOUND;
        start(true);
        runToEnd(assignment("act-404", "2.0.0", server.put("x.fcota", new byte[10]), OtaMode.FORCED, false));
        assertThat(last().state()).isEqualTo(OtaState.FAILED);
        assertThat(last().errorCode()).isEqualTo("DOWNLOAD_FAILED");
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void resumes_a_broken_download_with_range_and_if_range() throws Exception {
        byte[] image = TestBundles.image(800_000, 4);
        String url = server.put("resume.fcota", bundles.full("2.0.0", image));
        server.fault = BundleServer.Fault.CUT_FIRST_RESPONSE;
        start(true);
        runToEnd(assignment("act-resume", "2.0.0", url, OtaMode.FORCED, false));

        assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.REBOOTING);
        assertThat(server.requests).hasSizeGreaterThanOrEqualTo(2);
        BundleServer.Request resumed = server.requests.get(1);
        assertThat(resumed.range()).matches("bytes=[1-9][0-9]*-");
        assertThat(resumed.ifRange()).startsWith("\"");
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);
    }

    @Test
    void retries_after_a_server_error() throws Exception {
        String url = server.put("retry.fcota", bundles.full("2.0.0", TestBundles.image(50_000, 5)));
        server.fault = BundleServer.Fault.UNAVAILABLE_FIRST;
        start(true);
        runToEnd(assignment("act-503", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(last().state()).isEqualTo(OtaState.REBOOTING);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void reads_no_further_than_the_signed_length_when_the_server_sends_more() throws Exception {
        byte[] image = TestBundles.image(200_000, 6);
        String url = server.put("extra.fcota", bundles.full("2.0.0", image));
        server.fault = BundleServer.Fault.EXTRA_BYTES;
        start(true);
        runToEnd(assignment("act-extra", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.REBOOTING);
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);
    }

    @Test
    void fails_a_tampered_payload_and_a_bundle_size_the_assignment_contradicts() throws Exception {
        byte[] bundle = bundles.full("2.0.0", TestBundles.image(100_000, 7));
        byte[] tampered = bundle.clone();
        tampered[tampered.length - 1] ^= 1;
        start(true);
        runToEnd(assignment("act-tampered", "2.0.0", server.put("t.fcota", tampered), OtaMode.FORCED, false));
        assertThat(last().state()).isEqualTo(OtaState.FAILED);
        assertThat(last().errorCode()).isEqualTo("HASH_MISMATCH");

        String url = server.put("size.fcota", bundle);
        updater.assign(new OtaAssignment(
                "act-size",
                false,
                "2.0.0",
                url,
                (long) bundle.length + 1,
                false,
                null,
                OtaMode.FORCED,
                false,
                null,
                null));
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(last().state()).isEqualTo(OtaState.FAILED);
        assertThat(last().errorCode()).isEqualTo("MALFORMED");
        assertThat(reboots).hasValue(0);
    }

    @Test
    void a_download_that_changes_on_disk_after_its_verification_is_not_named_for_a_trial_boot() throws Exception {
        String url = server.put("late.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 11)));
        start(false);
        installAfterChanging("act-flip", url, bytes -> {
            bytes[bytes.length - 1] ^= 1;
            return bytes;
        });
        installAfterChanging("act-cut", url, bytes -> Arrays.copyOf(bytes, bytes.length - 1));
        assertThat(reboots).hasValue(0);
        assertThat(new DirectorySlotManager(stateDir, "a", "1.0.0").boot().trial())
                .isNull();
    }

    /** Lets the download be verified, changes it while consent is awaited, then accepts the install. */
    private void installAfterChanging(String actionId, String url, UnaryOperator<byte[]> change) throws Exception {
        updater.assign(assignment(actionId, "2.0.0", url, OtaMode.SOFT, true));
        awaitConsentRequest(actionId);
        Path download = stateDir.resolve("ota").resolve(actionId + ".part");
        Files.write(download, change.apply(Files.readAllBytes(download)));
        updater.accept(actionId);
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(last().state()).isEqualTo(OtaState.FAILED);
        assertThat(last().errorCode()).isEqualTo("HASH_MISMATCH");
    }

    @Test
    void a_slot_that_cannot_be_opened_fails_the_install_and_is_no_bad_patch() throws Exception {
        // Broken flash, as far as the slot manager can tell: slot b's image cannot be created.
        Files.createDirectories(DirectorySlotManager.imageOf(stateDir, "b").resolve("broken"));
        String full = server.put("full.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 13)));
        start(true);
        runToEnd(assignment("act-full", "2.0.0", full, OtaMode.FORCED, false));
        assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.FAILED);
        assertThat(last().errorCode()).isEqualTo("INSTALL_FAILED");
        for (DeltaAlgorithm algorithm : DeltaAlgorithm.values()) {
            byte[] image = TestBundles.edited(factoryImage, algorithm.ordinal());
            String delta = server.put(
                    algorithm.id() + ".fcota", bundles.delta("2.0.0", "1.0.0", factoryImage, image, algorithm));
            runToEnd(assignment("act-" + algorithm.id(), "2.0.0", delta, OtaMode.FORCED, false));
            assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.FAILED);
            assertThat(last().errorCode()).as(algorithm.id()).isEqualTo("INSTALL_FAILED");
        }
        assertThat(reboots).hasValue(0);
        assertThat(installMarker()).doesNotExist();
    }

    @Test
    void an_install_cut_off_mid_write_is_reported_rolled_back_once_at_the_next_start() throws Exception {
        String url = server.put("full.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 14)));
        start(true);
        // What a power cut in the middle of the slot write of act-cut leaves behind: the marker, and a
        // slot written in part that was never named for a trial.
        new InstallMarker(stateDir.resolve("ota")).write("act-cut");
        DirectorySlotManager slots = new DirectorySlotManager(stateDir, "a", "1.0.0");
        slots.boot();
        try (var slot = slots.openInactive()) {
            slot.write(new byte[4096]);
        }

        start(true);
        assertThat(lastBoot).isEqualTo(new SlotManager.Boot("a", "1.0.0", null, null));
        assertThat(reports).isEmpty(); // told once connected: the health check
        updater.healthy();
        updater.healthy(); // a reconnect
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports)
                .containsExactly(new OtaReport(
                        "act-cut",
                        OtaState.ROLLED_BACK,
                        null,
                        null,
                        "1.0.0",
                        "INSTALL_INTERRUPTED",
                        "the install was cut off (power loss?); the committed slot runs"));
        assertThat(installMarker()).doesNotExist(); // acknowledged

        // The platform sends the assignment again before it saw the report: not installed again.
        int requests = server.requests.size();
        runToEnd(assignment("act-cut", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(reports).hasSize(1);
        assertThat(server.requests).hasSize(requests);

        start(true);
        updater.healthy();
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports).isEmpty();
    }

    @Test
    void an_interrupted_install_is_reported_again_until_acknowledged_and_lwm2m_ones_are_left_alone() throws Exception {
        new InstallMarker(stateDir.resolve("ota")).write("act-lost");
        acknowledge = false; // the connection drops before the platform acknowledges
        start(true);
        updater.healthy();
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.errorCode())
                .isEqualTo("INSTALL_INTERRUPTED"));
        assertThat(installMarker()).exists();

        acknowledge = true;
        start(true);
        updater.healthy();
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.actionId())
                .isEqualTo("act-lost"));
        assertThat(installMarker()).doesNotExist();

        // An install over LwM2M cut off: object 5 reports it (Update Result 8), not this updater.
        new InstallMarker(stateDir.resolve("ota")).write(SlotPackageInstaller.ACTION_PREFIX + "2.0.0");
        start(true);
        updater.healthy();
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports).isEmpty();
        assertThat(installMarker()).exists();
    }

    @Test
    void a_resent_assignment_of_an_action_the_last_boot_decided_is_ignored() throws Exception {
        String url = server.put("full.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 15)));
        start(true);
        runToEnd(assignment("act-again", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(reboots).hasValue(1);
        int requests = server.requests.size();

        start(true); // the trial boot of slot b
        runToEnd(assignment("act-again", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(reports).isEmpty();
        start(true); // not committed: the bootloader gives b up, and the outcome awaits its report
        assertThat(lastBoot.outcome()).isNotNull();
        runToEnd(assignment("act-again", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(reports).isEmpty();
        assertThat(server.requests).hasSize(requests);
        assertThat(reboots).hasValue(1);

        // Another action is not held back.
        runToEnd(assignment("act-next", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(last().state()).as(reports.toString()).isEqualTo(OtaState.REBOOTING);
    }

    @Test
    void rolls_back_by_itself_when_the_trial_boot_is_not_committed() throws Exception {
        String url = server.put("full.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 8)));
        start(true);
        runToEnd(assignment("act-rb", "2.0.0", url, OtaMode.FORCED, false));
        start(true); // trial boot of slot b, and then the process dies before the health check passes
        assertThat(lastBoot.trial()).isNotNull();

        start(true); // the bootloader gives up slot b
        assertThat(lastBoot.activeSlot()).isEqualTo("a");
        assertThat(lastBoot.activeVersion()).isEqualTo("1.0.0");
        updater.healthy();
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.state()).isEqualTo(OtaState.ROLLED_BACK);
            assertThat(report.errorCode()).isEqualTo("HEALTH_CHECK_FAILED");
            assertThat(report.version()).isEqualTo("1.0.0");
        });
        assertThat(new DirectorySlotManager(stateDir, "a", "1.0.0").boot().outcome())
                .isNull();
    }

    @Test
    void waits_for_consent_then_installs_or_stops_when_declined() throws Exception {
        String url = server.put("c.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 9)));
        start(false);
        updater.assign(assignment("act-no", "2.0.0", url, OtaMode.SOFT, true));
        awaitConsentRequest("act-no");
        assertThat(last().state()).isEqualTo(OtaState.WAITING_CONSENT);
        updater.decline("act-no");
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(last().state()).isEqualTo(OtaState.REJECTED);
        assertThat(last().errorCode()).isEqualTo("CONSENT_DECLINED");

        updater.assign(assignment("act-yes", "2.0.0", url, OtaMode.SOFT, true));
        awaitConsentRequest("act-yes");
        updater.accept("act-yes");
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(last().state()).isEqualTo(OtaState.REBOOTING);
    }

    @Test
    void cancel_stops_an_action_waiting_for_consent() throws Exception {
        String url = server.put("c.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 10)));
        start(false);
        updater.assign(assignment("act-c", "2.0.0", url, OtaMode.SOFT, true));
        awaitConsentRequest("act-c");
        updater.assign(OtaAssignment.cancel("act-c"));
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(last().state()).isEqualTo(OtaState.CANCELED);
        assertThat(DirectorySlotManager.imageOf(stateDir, "b")).doesNotExist();
    }

    @Test
    void download_only_keeps_the_verified_bundle_for_a_later_install() throws Exception {
        byte[] image = TestBundles.image(90_000, 11);
        String url = server.put("d.fcota", bundles.full("2.0.0", image));
        start(true);
        runToEnd(assignment("act-d", "2.0.0", url, OtaMode.DOWNLOAD_ONLY, false));
        assertThat(states()).containsExactly(OtaState.DOWNLOADING, OtaState.DOWNLOADED);
        assertThat(reboots).hasValue(0);
        int requests = server.requests.size();

        runToEnd(assignment("act-i", "2.0.0", url, OtaMode.FORCED, false));
        assertThat(last().state()).isEqualTo(OtaState.REBOOTING);
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);
        // The complete file was not fetched again (at most a probe for a file already complete).
        assertThat(server.requests.size()).isEqualTo(requests);
    }

    @Test
    void a_maintenance_window_that_is_open_now_lets_the_install_run() throws Exception {
        String url = server.put("w.fcota", bundles.full("2.0.0", TestBundles.image(60_000, 12)));
        start(true);
        // CLOCK is 10:00 UTC on a Tuesday: the window 09:30 + 60 min is open.
        updater.assign(new OtaAssignment(
                "act-w",
                false,
                "2.0.0",
                url,
                null,
                false,
                null,
                OtaMode.FORCED,
                false,
                new OtaAssignment.MaintenanceWindow("30 9 * * TUE", 60, "UTC"),
                null));
        assertThat(updater.awaitIdle(WAIT)).isTrue();
        assertThat(last().state()).isEqualTo(OtaState.REBOOTING);
    }

    private Path installMarker() {
        return stateDir.resolve("ota").resolve(InstallMarker.FILE);
    }

    private void awaitConsentRequest(String actionId) {
        await().atMost(WAIT).until(() -> consentAsked.contains(actionId));
    }
}
