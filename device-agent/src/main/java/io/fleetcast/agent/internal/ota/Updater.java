package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out OTA assignments received over MQTT: download (resumable), verify the signed manifest
 * before the payload arrives, verify the payload, ask for consent, wait for the maintenance window,
 * write the inactive slot, mark it for one trial boot, reboot. After the reboot, {@link #healthy()}
 * commits the trial, or reports an install the device lost power in the middle of ({@link InstallMarker})
 * as {@code ROLLED_BACK} with {@code INSTALL_INTERRUPTED}. Download, checks and slot writing are {@link BundleFetch}, {@link BundleCheck} and
 * {@link SlotWriter}, which the LwM2M installer shares; this class adds the MQTT action's life cycle.
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
    private final OtaReports reports;
    private final BiConsumer<String, String> consentRequested;
    private final TrialBoot trialBoot;
    private final BundleCheck check;
    private final BundleFetch fetch;
    private final SlotWriter writer;
    private final InstallMarker marker;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleetcast-ota");
        thread.setDaemon(true);
        return thread;
    });

    private volatile Job current;
    /** An install of the last run that was cut off before its slot was named for a trial, or null. */
    private volatile String interruptedAction;

    private final AtomicBoolean interruptReported = new AtomicBoolean();

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
        this.trialBoot = new TrialBoot(slots, reboot, settings.healthCheckTimeout(), this::reportOutcome);
        this.check = new BundleCheck(settings, slots, clock, trialBoot::runningVersion);
        this.fetch = new BundleFetch(downloader, check);
        this.marker = new InstallMarker(settings.workDir());
        this.writer = new SlotWriter(slots, marker);
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
        SlotManager.Boot decided = trialBoot.boot();
        interruptedAction =
                marker.interrupted(decided, action -> !action.startsWith(SlotPackageInstaller.ACTION_PREFIX));
        return decided;
    }

    /**
     * The health check passed: the agent connected and reported its state. Commits a trial slot and
     * tells the platform how an earlier trial, or an install cut off by a power loss, ended. Any thread.
     */
    public void healthy() {
        trialBoot.healthy();
        String interrupted = interruptedAction;
        if (interrupted != null && interruptReported.compareAndSet(false, true)) {
            reportInterrupted(interrupted);
        }
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
        trialBoot.close();
    }

    /** Waits until the worker has nothing left to do; for tests. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        worker.execute(() -> done.complete(null));
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return trialBoot.awaitIdle(timeout);
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

    private void run(Job job) {
        OtaAssignment assignment = job.assignment;
        String actionId = assignment.actionId();
        try {
            if (job.cancelled) {
                throw new Refusal(OtaState.CANCELED, null, "cancelled before it started");
            }
            check(assignment);
            Path bundle = download(job);
            BundleHeader header = check.verify(bundle, assignment.version(), assignment.bundleSize());
            report(job, OtaState.DOWNLOADED, null, null);
            if (assignment.mode() == OtaMode.DOWNLOAD_ONLY) {
                Files.move(bundle, verifiedCopy(assignment.version()), StandardCopyOption.REPLACE_EXISTING);
                LOG.info(() -> "downloaded " + assignment.version() + " only, as assigned");
                return;
            }
            awaitConsent(job);
            awaitMaintenanceWindow(job);
            report(job, OtaState.INSTALLING, null, null);
            writer.install(bundle, header, actionId, () -> !job.cancelled);
            Manifest manifest = header.manifest();
            Files.deleteIfExists(bundle);
            CompletableFuture<Void> sent = report(job, OtaState.REBOOTING, null, null);
            awaitQuietly(sent);
            LOG.info(() -> "rebooting into " + manifest.version());
            reboot.reboot();
        } catch (Refusal stop) {
            LOG.info(() -> "action " + actionId + " ended " + stop.state()
                    + (stop.code() == null ? "" : " " + stop.code()) + ": " + stop.getMessage());
            reports.publish(new OtaReport(actionId, stop.state(), null, null, null, stop.code(), stop.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "action " + actionId + " failed", e);
            reports.publish(new OtaReport(
                    actionId, OtaState.FAILED, null, null, null, "INSTALL_FAILED", String.valueOf(e.getMessage())));
        } finally {
            if (current == job) {
                current = null;
            }
        }
    }

    private void check(OtaAssignment assignment) throws Refusal {
        if (assignment.actionId() == null || assignment.bundleUrl() == null || assignment.version() == null) {
            throw new Refusal(OtaState.REJECTED, "MALFORMED", "the assignment lacks actionId, version or bundleUrl");
        }
        if (assignment.expiresAt() != null && !clock.instant().isBefore(assignment.expiresAt())) {
            throw new Refusal(OtaState.REJECTED, "EXPIRED", "the assignment expired at " + assignment.expiresAt());
        }
        if (trialBoot.awaitingHealthCheck()) {
            throw new Refusal(OtaState.FAILED, "BUSY", "a trial boot awaits its health check");
        }
        check.requireConfigured();
    }

    private Path download(Job job) throws Refusal, IOException {
        OtaAssignment assignment = job.assignment;
        Files.createDirectories(settings.workDir());
        Path verified = verifiedCopy(assignment.version());
        Path file = settings.workDir().resolve(safe(assignment.actionId()) + ".part");
        if (Files.exists(verified)) {
            // Fetched earlier by a download-only action; it is verified again below like any download.
            Files.move(verified, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Long expected = assignment.bundleSize();
        report(job, OtaState.DOWNLOADING, 0L, expected);
        try {
            fetch.fetch(
                    URI.create(assignment.bundleUrl()),
                    file,
                    assignment.version(),
                    expected,
                    () -> job.cancelled,
                    (done, known) -> {
                        if (known > 0) {
                            int percent = (int) (done * 100 / known);
                            int step = settings.reportEveryPercent();
                            if (percent / step != job.lastPercent / step && percent < 100) {
                                job.lastPercent = percent;
                                report(job, OtaState.DOWNLOADING, done, known);
                            }
                        }
                    });
        } catch (BundleDownloader.Cancelled e) {
            throw new Refusal(OtaState.CANCELED, null, "cancelled while downloading");
        }
        return file;
    }

    private void awaitConsent(Job job) throws Refusal {
        if (!job.assignment.consentRequired() || settings.autoConsent()) {
            return;
        }
        report(job, OtaState.WAITING_CONSENT, null, null);
        consentRequested.accept(job.assignment.actionId(), job.assignment.version());
        boolean accepted = job.consent.join();
        if (job.cancelled) {
            throw new Refusal(OtaState.CANCELED, null, "cancelled while waiting for consent");
        }
        if (!accepted) {
            throw new Refusal(OtaState.REJECTED, "CONSENT_DECLINED", "the viewer declined the update");
        }
    }

    private void awaitMaintenanceWindow(Job job) throws Refusal {
        OtaAssignment.MaintenanceWindow window = job.assignment.maintenanceWindow();
        if (window == null) {
            return;
        }
        MaintenanceSchedule schedule;
        try {
            schedule = MaintenanceSchedule.of(window);
        } catch (RuntimeException e) {
            throw new Refusal(OtaState.REJECTED, "MALFORMED", "bad maintenance window: " + e.getMessage());
        }
        while (true) {
            Instant now = clock.instant();
            Optional<Instant> opening = schedule.nextOpening(now);
            if (opening.isEmpty()) {
                throw new Refusal(OtaState.FAILED, "NO_MAINTENANCE_WINDOW", "the maintenance window never opens");
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
                throw new Refusal(OtaState.CANCELED, null, "cancelled while waiting for the maintenance window");
            }
        }
    }

    /** Whether the last boot decided the action: its trial, its outcome, or its interrupted install. */
    private boolean endedAtBoot(String actionId) {
        return actionId.equals(interruptedAction) || InstallMarker.namedByBoot(trialBoot.decided(), actionId);
    }

    private void reportInterrupted(String actionId) {
        OtaReport report = new OtaReport(
                actionId,
                OtaState.ROLLED_BACK,
                null,
                null,
                trialBoot.runningVersion(),
                "INSTALL_INTERRUPTED",
                "the install was cut off (power loss?); the committed slot runs");
        // Forgotten only once acknowledged, like a trial's outcome: after a crash before that, it is
        // reported again.
        reports.publish(report).thenRun(() -> marker.deleteIfNaming(actionId));
    }

    private void reportOutcome(SlotManager.Outcome outcome, String runningVersion) {
        OtaReport report = outcome.committed()
                ? new OtaReport(outcome.actionId(), OtaState.SUCCEEDED, null, null, outcome.version(), null, null)
                : new OtaReport(
                        outcome.actionId(),
                        OtaState.ROLLED_BACK,
                        null,
                        null,
                        runningVersion,
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
