package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.BundleErrorCode;
import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleVerifier;
import io.fleetcast.ota.bundle.DeviceFacts;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.ManifestValidator;
import io.fleetcast.ota.bundle.PayloadCheck;
import io.fleetcast.ota.delta.Bsdiff;
import io.fleetcast.ota.delta.ZstdPatch;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out OTA assignments: download (resumable), verify the signed manifest before the payload
 * arrives, verify the payload, ask for consent, wait for the maintenance window, write the inactive
 * slot, mark it for one trial boot, reboot. After the reboot, {@link #healthy()} commits the trial.
 *
 * <p>One action at a time, on its own thread ({@code fleetcast-ota}), so downloads never block the agent
 * thread. A new assignment replaces the one in progress; a cancel stops it. Every step is reported.
 */
public final class Updater implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Updater.class.getName());
    private static final Duration REPORT_ACK_WAIT = Duration.ofSeconds(5);

    private final UpdaterSettings settings;
    private final SlotManager slots;
    private final RebootHook reboot;
    private final Clock clock;
    private final BundleDownloader downloader;
    private final OtaReports reports;
    private final BiConsumer<String, String> consentRequested;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleetcast-ota");
        thread.setDaemon(true);
        return thread;
    });

    private final java.util.concurrent.ScheduledExecutorService healthTimer =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "fleetcast-ota-health");
                thread.setDaemon(true);
                return thread;
            });

    /** Names the action whose image is being written into the inactive slot; see {@link #boot()}. */
    static final String INSTALL_MARKER = "installing";

    private volatile Job current;
    private volatile SlotManager.Boot boot;
    private volatile boolean healthChecked;
    /** An install that was cut off (power cut, kill) before its slot was marked for a trial. */
    private volatile String interruptedAction;

    private boolean interruptReported;

    public Updater(
            UpdaterSettings settings,
            SlotManager slots,
            RebootHook reboot,
            Clock clock,
            OtaReports reports,
            BiConsumer<String, String> consentRequested) {
        this(settings, slots, reboot, clock, reports, consentRequested, defaultDownloader());
    }

    Updater(
            UpdaterSettings settings,
            SlotManager slots,
            RebootHook reboot,
            Clock clock,
            OtaReports reports,
            BiConsumer<String, String> consentRequested,
            BundleDownloader downloader) {
        this.settings = settings;
        this.slots = slots;
        this.reboot = reboot;
        this.clock = clock;
        this.reports = reports;
        this.consentRequested = consentRequested;
        this.downloader = downloader;
    }

    static BundleDownloader defaultDownloader() {
        return new BundleDownloader(
                10, Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(60), Updater::sleep);
    }

    /**
     * Lets the slot manager decide which slot runs; call once at start. When a trial slot runs and does
     * not reach {@link #healthy()} within the health check timeout, it is given up and the device
     * reboots into its committed slot.
     */
    public SlotManager.Boot boot() throws IOException {
        SlotManager.Boot decided = slots.boot();
        boot = decided;
        interruptedAction = interruptedInstall(decided);
        if (decided.trial() != null) {
            // A timer, not the worker: the worker must stay free to run the commit when the check passes.
            healthTimer.schedule(
                    () -> worker.execute(() -> giveUpIfUnhealthy(decided.trial())),
                    settings.healthCheckTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return decided;
    }

    /**
     * The health check passed: the agent connected and reported its state. Commits a trial slot and
     * tells the platform how an earlier trial ended. Any thread.
     */
    public void healthy() {
        SlotManager.Boot decided = boot;
        if (decided == null) {
            return;
        }
        worker.execute(() -> {
            try {
                if (decided.trial() != null && !healthChecked) {
                    healthChecked = true;
                    slots.commit();
                    LOG.info(() -> "committed " + decided.trial().version() + " in slot " + decided.activeSlot());
                    reportOutcome(new SlotManager.Outcome(
                            decided.trial().actionId(), decided.trial().version(), true));
                } else if (decided.outcome() != null && !healthChecked) {
                    healthChecked = true;
                    reportOutcome(decided.outcome());
                }
                String interrupted = interruptedAction;
                if (interrupted != null && !interruptReported) {
                    interruptReported = true;
                    reportInterrupted(interrupted, decided.activeVersion());
                }
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "cannot commit the running slot", e);
            }
        });
    }

    /** Takes an assignment from the platform. Any thread. */
    public void assign(OtaAssignment assignment) {
        Job running = current;
        if (assignment.cancel()) {
            if (running != null && running.assignment.actionId().equals(assignment.actionId())) {
                running.cancelled = true;
                running.consent.complete(false);
            } else {
                reports.publish(OtaReport.of(assignment.actionId(), OtaState.CANCELED));
            }
            return;
        }
        if (running != null && running.assignment.actionId().equals(assignment.actionId())) {
            return; // the platform sends a pending assignment again after every reconnect
        }
        if (endedAtBoot(assignment.actionId())) {
            // Sent again after the reboot, before the platform saw how it ended: installing it again
            // would write the other slot and reboot once more. How it ended is being reported.
            LOG.info(() -> "ignoring assignment " + assignment.actionId() + ": it ended with the last boot");
            return;
        }
        if (running != null) {
            running.cancelled = true;
            running.consent.complete(false);
        }
        Job job = new Job(assignment);
        current = job;
        worker.execute(() -> run(job));
    }

    /** The viewer accepted the install of {@code actionId}. */
    public void accept(String actionId) {
        Job job = current;
        if (job != null && job.assignment.actionId().equals(actionId)) {
            job.consent.complete(true);
        }
    }

    /** The viewer declined the install of {@code actionId}. */
    public void decline(String actionId) {
        Job job = current;
        if (job != null && job.assignment.actionId().equals(actionId)) {
            job.declined = true;
            job.consent.complete(false);
        }
    }

    @Override
    public void close() {
        Job job = current;
        if (job != null) {
            job.cancelled = true;
            job.consent.complete(false);
        }
        worker.shutdownNow();
        healthTimer.shutdownNow();
    }

    /** Waits until the worker has nothing left to do; for tests. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        worker.execute(() -> done.complete(null));
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    /** One assignment in progress. */
    private static final class Job {
        final OtaAssignment assignment;
        final CompletableFuture<Boolean> consent = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile boolean declined;
        int lastPercent = -1;

        Job(OtaAssignment assignment) {
            this.assignment = assignment;
        }
    }

    /** Ends an action with a terminal state. */
    private static final class Stop extends Exception {
        final OtaState state;
        final String code;

        Stop(OtaState state, String code, String message) {
            super(message);
            this.state = state;
            this.code = code;
        }
    }

    private void run(Job job) {
        OtaAssignment assignment = job.assignment;
        String actionId = assignment.actionId();
        try {
            if (job.cancelled) {
                throw new Stop(OtaState.CANCELED, null, "cancelled before it started");
            }
            check(assignment);
            Path bundle = download(job);
            BundleHeader header = verifyDownloaded(bundle, assignment);
            report(job, OtaState.DOWNLOADED, null, null);
            if (assignment.mode() == OtaMode.DOWNLOAD_ONLY) {
                Files.move(bundle, verifiedCopy(assignment.version()), StandardCopyOption.REPLACE_EXISTING);
                LOG.info(() -> "downloaded " + assignment.version() + " only, as assigned");
                return;
            }
            awaitConsent(job);
            awaitMaintenanceWindow(job);
            report(job, OtaState.INSTALLING, null, null);
            writeInstallMarker(actionId);
            install(bundle, header);
            if (job.cancelled) {
                throw new Stop(OtaState.CANCELED, null, "cancelled during install");
            }
            Manifest manifest = header.manifest();
            slots.markInactiveForTrial(manifest.version(), manifest.antiRollback(), actionId);
            // From here the trial boot tells how the action ended.
            Files.deleteIfExists(installMarker());
            Files.deleteIfExists(bundle);
            CompletableFuture<Void> sent = report(job, OtaState.REBOOTING, null, null);
            awaitQuietly(sent);
            LOG.info(() -> "rebooting into " + manifest.version());
            reboot.reboot();
        } catch (Stop stop) {
            LOG.info(() -> "action " + actionId + " ended " + stop.state + (stop.code == null ? "" : " " + stop.code)
                    + ": " + stop.getMessage());
            reports.publish(new OtaReport(actionId, stop.state, null, null, null, stop.code, stop.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "action " + actionId + " failed", e);
            reports.publish(new OtaReport(
                    actionId, OtaState.FAILED, null, null, null, "INSTALL_FAILED", String.valueOf(e.getMessage())));
        } finally {
            deleteInstallMarker();
            if (current == job) {
                current = null;
            }
        }
    }

    /**
     * The action of an install marker left behind by the last run, unless the slot manager's trial
     * already accounts for it (cut off after the slot was marked): the slot was being written when the
     * device lost power, so it came up on its committed slot again.
     */
    private String interruptedInstall(SlotManager.Boot decided) {
        Path marker = installMarker();
        String action;
        try {
            if (!Files.exists(marker)) {
                return null;
            }
            action = Files.readString(marker).trim();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + marker + "; ignoring it", e);
            deleteInstallMarker();
            return null;
        }
        boolean trialKnowsIt = (decided.trial() != null
                        && action.equals(decided.trial().actionId()))
                || (decided.outcome() != null && action.equals(decided.outcome().actionId()));
        if (action.isEmpty() || trialKnowsIt) {
            deleteInstallMarker(); // empty: the cut came while the marker itself was written
            return null;
        }
        LOG.warning(() -> "the install of action " + action + " was cut off; running slot " + decided.activeSlot()
                + " (" + decided.activeVersion() + ")");
        return action;
    }

    private boolean endedAtBoot(String actionId) {
        SlotManager.Boot decided = boot;
        return actionId.equals(interruptedAction)
                || (decided != null
                        && ((decided.trial() != null
                                        && actionId.equals(decided.trial().actionId()))
                                || (decided.outcome() != null
                                        && actionId.equals(decided.outcome().actionId()))));
    }

    private void reportInterrupted(String actionId, String runningVersion) {
        OtaReport report = new OtaReport(
                actionId,
                OtaState.ROLLED_BACK,
                null,
                null,
                runningVersion,
                "INSTALL_INTERRUPTED",
                "the install was cut off (power loss?); the committed slot runs");
        // Forgotten only once acknowledged, like a trial's outcome.
        reports.publish(report).thenRun(this::deleteInstallMarker);
    }

    private Path installMarker() {
        return settings.workDir().resolve(INSTALL_MARKER);
    }

    private void writeInstallMarker(String actionId) throws IOException {
        Files.createDirectories(settings.workDir());
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                installMarker(),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(actionId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    private void deleteInstallMarker() {
        try {
            Files.deleteIfExists(installMarker());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete the install marker", e);
        }
    }

    private void check(OtaAssignment assignment) throws Stop {
        if (assignment.actionId() == null || assignment.bundleUrl() == null || assignment.version() == null) {
            throw new Stop(OtaState.REJECTED, "MALFORMED", "the assignment lacks actionId, version or bundleUrl");
        }
        if (assignment.expiresAt() != null && !clock.instant().isBefore(assignment.expiresAt())) {
            throw new Stop(OtaState.REJECTED, "EXPIRED", "the assignment expired at " + assignment.expiresAt());
        }
        SlotManager.Boot decided = boot;
        if (decided != null && decided.trial() != null && !healthChecked) {
            throw new Stop(OtaState.FAILED, "BUSY", "a trial boot awaits its health check");
        }
        if (settings.trustedKeys().isEmpty()) {
            throw new Stop(OtaState.REJECTED, "BAD_SIGNATURE", "no trusted OTA keys are configured (ota.trusted-keys)");
        }
        if (settings.hardwareModel() == null) {
            throw new Stop(OtaState.REJECTED, "WRONG_MODEL", "no hardware model is configured (device.hardware-model)");
        }
    }

    private Path download(Job job) throws Stop, IOException {
        OtaAssignment assignment = job.assignment;
        Files.createDirectories(settings.workDir());
        Path verified = verifiedCopy(assignment.version());
        Path file = settings.workDir().resolve(safe(assignment.actionId()) + ".part");
        if (Files.exists(verified)) {
            // Fetched earlier by a download-only action; it is verified again below like any download.
            Files.move(verified, file, StandardCopyOption.REPLACE_EXISTING);
        }
        long expected = assignment.bundleSize() == null ? -1 : assignment.bundleSize();
        report(job, OtaState.DOWNLOADING, 0L, expected < 0 ? null : expected);
        HeaderCheck headerCheck = new HeaderCheck(assignment);
        try {
            downloader.download(URI.create(assignment.bundleUrl()), file, expected, () -> job.cancelled, (f, done) -> {
                long total = headerCheck.check(f, done);
                long known = total >= 0 ? total : expected;
                if (known > 0) {
                    int percent = (int) (done * 100 / known);
                    if (percent / settings.reportEveryPercent() != job.lastPercent / settings.reportEveryPercent()
                            && percent < 100) {
                        job.lastPercent = percent;
                        report(job, OtaState.DOWNLOADING, done, known);
                    }
                }
                return total;
            });
        } catch (BundleDownloader.Cancelled e) {
            throw new Stop(OtaState.CANCELED, null, "cancelled while downloading");
        } catch (BundleDownloader.DownloadException e) {
            if (headerCheck.refusal != null) {
                Files.deleteIfExists(file);
                throw headerCheck.refusal;
            }
            throw new Stop(OtaState.FAILED, e.code(), e.getMessage());
        }
        return file;
    }

    /** Reads and judges the signed header as soon as the download holds it, before the payload comes. */
    private final class HeaderCheck {
        private final OtaAssignment assignment;
        private long bundleLength = -1;
        Stop refusal;

        HeaderCheck(OtaAssignment assignment) {
            this.assignment = assignment;
        }

        long check(Path file, long done) throws BundleDownloader.DownloadException {
            if (bundleLength >= 0) {
                return bundleLength;
            }
            if (done < 14) {
                return -1;
            }
            try (InputStream in = Files.newInputStream(file)) {
                DataInputStream data = new DataInputStream(in);
                data.skipNBytes(10);
                long manifestLength = Integer.toUnsignedLong(data.readInt());
                if (manifestLength <= BundleHeader.MAX_MANIFEST_LENGTH
                        && done < 16 + manifestLength + BundleHeader.SIGNATURE_LENGTH) {
                    return -1; // not all of the header yet
                }
            } catch (IOException e) {
                return -1;
            }
            try {
                BundleHeader header = BundleHeader.read(file);
                judge(header, assignment);
                bundleLength = header.bundleLength();
                return bundleLength;
            } catch (Stop stop) {
                refusal = stop;
            } catch (BundleException e) {
                refusal = stopFor(e);
            } catch (IOException e) {
                refusal = new Stop(OtaState.FAILED, "DOWNLOAD_FAILED", e.getMessage());
            }
            throw new BundleDownloader.DownloadException(refusal.code, refusal.getMessage());
        }
    }

    /** The device's checks of a signed header; the same before the payload and after the download. */
    private void judge(BundleHeader header, OtaAssignment assignment) throws Stop {
        try {
            settings.trustedKeys().verify(header);
            Manifest manifest = header.manifest();
            SlotManager.Boot decided = boot;
            String installed = decided == null ? null : decided.activeVersion();
            new ManifestValidator(clock)
                    .validate(
                            manifest,
                            new DeviceFacts(
                                    settings.hardwareModel(),
                                    installed == null ? "" : installed,
                                    slots.antiRollbackCounter()));
            if (!manifest.version().equals(assignment.version())) {
                throw new Stop(
                        OtaState.REJECTED,
                        "MALFORMED",
                        "the bundle installs " + manifest.version() + ", the assignment says " + assignment.version());
            }
            if (assignment.bundleSize() != null && assignment.bundleSize() != header.bundleLength()) {
                throw new Stop(
                        OtaState.FAILED,
                        "MALFORMED",
                        "the bundle has " + header.bundleLength() + " bytes, the assignment says "
                                + assignment.bundleSize());
            }
        } catch (BundleException e) {
            throw stopFor(e);
        }
    }

    private BundleHeader verifyDownloaded(Path bundle, OtaAssignment assignment) throws Stop, IOException {
        try {
            BundleHeader header = new BundleVerifier(settings.trustedKeys()).verify(bundle);
            judge(header, assignment);
            return header;
        } catch (BundleException e) {
            Files.deleteIfExists(bundle); // a corrupt download must not be resumed
            throw stopFor(e);
        }
    }

    private static Stop stopFor(BundleException e) {
        OtaState state = e.code() == BundleErrorCode.HASH_MISMATCH || e.code() == BundleErrorCode.MALFORMED
                ? OtaState.FAILED
                : OtaState.REJECTED;
        return new Stop(state, e.code().name(), e.getMessage());
    }

    private void awaitConsent(Job job) throws Stop {
        if (!job.assignment.consentRequired() || settings.autoConsent()) {
            return;
        }
        report(job, OtaState.WAITING_CONSENT, null, null);
        consentRequested.accept(job.assignment.actionId(), job.assignment.version());
        boolean accepted = job.consent.join();
        if (job.cancelled) {
            throw new Stop(OtaState.CANCELED, null, "cancelled while waiting for consent");
        }
        if (!accepted) {
            throw new Stop(OtaState.REJECTED, "CONSENT_DECLINED", "the viewer declined the update");
        }
    }

    private void awaitMaintenanceWindow(Job job) throws Stop {
        OtaAssignment.MaintenanceWindow window = job.assignment.maintenanceWindow();
        if (window == null) {
            return;
        }
        MaintenanceSchedule schedule;
        try {
            schedule = MaintenanceSchedule.of(window);
        } catch (RuntimeException e) {
            throw new Stop(OtaState.REJECTED, "MALFORMED", "bad maintenance window: " + e.getMessage());
        }
        while (true) {
            Instant now = clock.instant();
            Optional<Instant> opening = schedule.nextOpening(now);
            if (opening.isEmpty()) {
                throw new Stop(OtaState.FAILED, "NO_MAINTENANCE_WINDOW", "the maintenance window never opens");
            }
            if (!opening.get().isAfter(now)) {
                return;
            }
            LOG.info(() -> "waiting for the maintenance window at " + opening.get());
            try {
                // Wakes up at least every minute, so a cancel or a clock change is seen.
                sleep(
                        Duration.between(now, opening.get()).compareTo(Duration.ofMinutes(1)) > 0
                                ? Duration.ofMinutes(1)
                                : Duration.between(now, opening.get()),
                        () -> job.cancelled);
            } catch (BundleDownloader.Cancelled e) {
                throw new Stop(OtaState.CANCELED, null, "cancelled while waiting for the maintenance window");
            }
        }
    }

    /** Writes the image into the inactive slot, checking the signed image hash on the way. */
    private void install(Path bundle, BundleHeader header) throws Stop, IOException {
        Manifest manifest = header.manifest();
        PayloadCheck image = PayloadCheck.imageOf(manifest);
        // Opened outside the try below: a slot that cannot be opened is an install failure, not a bad patch.
        OutputStream slot = slots.openInactive();
        try (slot;
                OutputStream out = image.tee(slot)) {
            if (!manifest.isDelta()) {
                try (InputStream in = Files.newInputStream(bundle)) {
                    in.skipNBytes(header.payloadOffset());
                    PayloadCheck.payloadOf(manifest).wrap(in).transferTo(out);
                }
            } else if (manifest.deltaAlgorithm() == io.fleetcast.ota.bundle.DeltaAlgorithm.BSDIFF) {
                Bsdiff.apply(slots.activeImage(), bundle, header.payloadOffset(), manifest.payloadLength(), out);
            } else {
                try (InputStream in = Files.newInputStream(bundle)) {
                    in.skipNBytes(header.payloadOffset());
                    ZstdPatch.apply(
                            slots.activeImage(),
                            PayloadCheck.payloadOf(manifest).wrap(in),
                            out);
                }
            }
        } catch (IOException e) {
            if (manifest.isDelta()) {
                // A patch that does not fit the running image: the image in the slot is not the base.
                throw new Stop(OtaState.FAILED, "HASH_MISMATCH", "the delta does not apply: " + e.getMessage());
            }
            throw e;
        }
        try {
            image.finish();
        } catch (BundleException e) {
            throw stopFor(e);
        }
    }

    private void giveUpIfUnhealthy(SlotManager.Trial trial) {
        if (healthChecked) {
            return;
        }
        healthChecked = true;
        LOG.warning(() -> trial.version() + " did not reach the platform within "
                + settings.healthCheckTimeout().toSeconds() + " s; rolling back");
        try {
            slots.abandonTrial();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot give up the trial slot; the bootloader will", e);
        }
        reboot.reboot();
    }

    private void reportOutcome(SlotManager.Outcome outcome) {
        OtaReport report = outcome.committed()
                ? new OtaReport(outcome.actionId(), OtaState.SUCCEEDED, null, null, outcome.version(), null, null)
                : new OtaReport(
                        outcome.actionId(),
                        OtaState.ROLLED_BACK,
                        null,
                        null,
                        boot.activeVersion(),
                        "HEALTH_CHECK_FAILED",
                        outcome.version() + " did not pass its health check");
        // Cleared only once acknowledged: after a crash before that, the outcome is reported again.
        reports.publish(report).thenRun(() -> {
            try {
                slots.clearOutcome();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot clear the reported outcome; it will be reported again", e);
            }
        });
    }

    private CompletableFuture<Void> report(Job job, OtaState state, Long done, Long total) {
        return reports.publish(new OtaReport(job.assignment.actionId(), state, done, total, null, null, null));
    }

    private Path verifiedCopy(String version) {
        return settings.workDir().resolve("verified-" + safe(version) + ".fcota");
    }

    /** Action ids and versions become file names: keep them to a harmless alphabet. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void awaitQuietly(CompletableFuture<Void> sent) {
        try {
            sent.get(REPORT_ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Reboot anyway: the outcome is reported after the reboot.
        }
    }

    static void sleep(Duration duration, java.util.function.BooleanSupplier cancelled)
            throws BundleDownloader.Cancelled {
        long end = System.nanoTime() + duration.toNanos();
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new BundleDownloader.Cancelled();
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BundleDownloader.Cancelled();
            }
        }
    }
}
