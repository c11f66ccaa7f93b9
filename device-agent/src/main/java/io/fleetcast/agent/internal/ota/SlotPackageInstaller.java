package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.lwm2m.PackageException;
import io.fleetcast.agent.lwm2m.PackageInstaller;
import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.protocol.OtaState;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The installer behind LwM2M object 5: the MQTT updater's download, checks and A/B slots, driven by
 * the Package URI and Update instead of an assignment. A package is judged like any bundle (signature,
 * model, expiry, anti-rollback, base version, payload hash) before a slot is touched; install writes
 * the inactive slot, marks it for one trial boot and reboots through the {@link RebootHook}. The
 * outcome is known after the reboot, from {@link TrialBoot}.
 *
 * <p>The download lives in {@code <work>/lwm2m-package.part}, with the URI it came from next to it: a
 * broken download resumes (Range, If-Range), also after a restart, when the server writes the same URI
 * again; another URI starts afresh. The {@link InstallMarker} the MQTT updater uses tells a power cut
 * in the middle of the slot write at the next start ({@link #installInterrupted()}).
 */
public final class SlotPackageInstaller implements PackageInstaller {

    private static final Logger LOG = Logger.getLogger(SlotPackageInstaller.class.getName());

    /** Trials started over LwM2M carry this before the version where MQTT trials carry an action id. */
    public static final String ACTION_PREFIX = "lwm2m:";

    private static final String PACKAGE_FILE = "lwm2m-package.part";
    private static final String URI_FILE = "lwm2m-package.uri";

    private final UpdaterSettings settings;
    private final SlotManager slots;
    private final RebootHook reboot;
    private final TrialBoot trialBoot;
    private final BundleCheck check;
    private final BundleFetch fetch;
    private final SlotWriter writer;
    private final InstallMarker marker;
    private volatile BundleHeader downloaded;

    /** @param trialBoot this boot of the device; {@link TrialBoot#boot()} has run */
    public SlotPackageInstaller(
            UpdaterSettings settings, SlotManager slots, RebootHook reboot, Clock clock, TrialBoot trialBoot) {
        this(settings, slots, reboot, clock, trialBoot, Updater.defaultDownloader());
    }

    SlotPackageInstaller(
            UpdaterSettings settings,
            SlotManager slots,
            RebootHook reboot,
            Clock clock,
            TrialBoot trialBoot,
            BundleDownloader downloader) {
        this.settings = settings;
        this.slots = slots;
        this.reboot = reboot;
        this.trialBoot = trialBoot;
        this.check = new BundleCheck(settings, slots, clock, trialBoot::runningVersion);
        this.fetch = new BundleFetch(downloader, check);
        this.marker = new InstallMarker(settings.workDir());
        this.writer = new SlotWriter(slots, marker);
    }

    /**
     * Whether the device stopped while writing a slot for an install (a power cut): the slot was never
     * named for a trial, so the device runs its committed slot and the update failed. Stays true, across
     * restarts too, until the server writes the next Package URI. Call once {@link TrialBoot#boot()} ran.
     */
    public boolean installInterrupted() {
        return marker.interrupted(trialBoot.decided(), action -> action.startsWith(ACTION_PREFIX)) != null;
    }

    @Override
    public void download(URI uri) throws PackageException, InterruptedException {
        downloaded = null;
        try {
            if (trialBoot.awaitingHealthCheck()) {
                throw new PackageException(
                        PackageException.Reason.UPDATE_FAILED, "a trial boot awaits its health check");
            }
            check.requireConfigured();
            acknowledgeLastResult();
            Path file = packageFile();
            forgetOtherPackage(uri, file);
            fetch.fetch(uri, file, null, null, () -> Thread.currentThread().isInterrupted(), (done, total) -> {});
            downloaded = check.verify(file, null, null);
            LOG.info(() -> "downloaded and verified " + downloaded.manifest().version() + " from " + uri);
        } catch (Refusal refusal) {
            throw failure(refusal);
        } catch (BundleDownloader.Cancelled e) {
            throw new InterruptedException("download canceled");
        } catch (IOException e) {
            throw new PackageException(storageOr(e, PackageException.Reason.CONNECTION_LOST), e.getMessage(), e);
        }
    }

    @Override
    public String install() throws PackageException, InterruptedException {
        BundleHeader header = downloaded;
        if (header == null) {
            throw new PackageException(PackageException.Reason.UPDATE_FAILED, "no verified package to install");
        }
        String version = header.manifest().version();
        try {
            writer.install(packageFile(), header, ACTION_PREFIX + version, () -> !Thread.currentThread()
                    .isInterrupted());
            downloaded = null;
            deletePackage();
        } catch (Refusal refusal) {
            throw failure(refusal);
        } catch (IOException e) {
            throw new PackageException(storageOr(e, PackageException.Reason.UPDATE_FAILED), e.getMessage(), e);
        }
        LOG.info(() -> "rebooting into " + version);
        reboot.reboot();
        return null;
    }

    /**
     * A new Package URI starts a new update: the result of the last one was seen, so the boot state and
     * the marker may forget it (until then they keep it across restarts, as Update Result must).
     */
    private void acknowledgeLastResult() throws IOException {
        Files.createDirectories(settings.workDir());
        marker.delete();
        SlotManager.Boot boot = trialBoot.decided();
        if (boot != null && (boot.outcome() != null || boot.trial() != null)) {
            slots.clearOutcome();
        }
    }

    /** Keeps a partial download only when it came from the same URI, so that it can be resumed. */
    private void forgetOtherPackage(URI uri, Path file) throws IOException {
        Path uriFile = settings.workDir().resolve(URI_FILE);
        Optional<String> previous = Files.exists(uriFile)
                ? Optional.of(Files.readString(uriFile, StandardCharsets.UTF_8))
                : Optional.empty();
        if (previous.isEmpty() || !previous.get().equals(uri.toString())) {
            deletePackage();
            Files.writeString(uriFile, uri.toString(), StandardCharsets.UTF_8);
        } else if (Files.exists(file)) {
            LOG.info(() -> "resuming the download of " + uri + " at byte " + sizeOf(file));
        }
    }

    private void deletePackage() throws IOException {
        Path file = packageFile();
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".etag"));
        Files.deleteIfExists(settings.workDir().resolve(URI_FILE));
    }

    private Path packageFile() {
        return settings.workDir().resolve(PACKAGE_FILE);
    }

    /** The Update Result for a refusal, in the meanings object 5 gives them. */
    static PackageException failure(Refusal refusal) throws InterruptedException {
        if (refusal.state() == OtaState.CANCELED) {
            throw new InterruptedException(refusal.getMessage());
        }
        String code = refusal.code() == null ? "" : refusal.code();
        PackageException.Reason reason =
                switch (code) {
                        // The package is damaged or not signed by a key the device trusts.
                    case "BAD_SIGNATURE", "HASH_MISMATCH", "MALFORMED" -> PackageException.Reason
                            .INTEGRITY_CHECK_FAILED;
                        // An intact package this device does not take.
                    case "WRONG_MODEL", "EXPIRED", "DOWNGRADE", "BASE_MISMATCH" -> PackageException.Reason
                            .UNSUPPORTED_PACKAGE;
                    case "NOT_ENOUGH_STORAGE" -> PackageException.Reason.NOT_ENOUGH_STORAGE;
                    case "DOWNLOAD_FAILED" -> refusal.httpStatus() >= 400 && refusal.httpStatus() < 500
                            ? PackageException.Reason.INVALID_URI
                            : PackageException.Reason.CONNECTION_LOST;
                    default -> PackageException.Reason.UPDATE_FAILED;
                };
        return new PackageException(reason, code + ": " + refusal.getMessage());
    }

    /** A full disk has its own Update Result; the JDK tells it only in the message. */
    private static PackageException.Reason storageOr(IOException e, PackageException.Reason otherwise) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") || message.contains("Disk quota exceeded")
                ? PackageException.Reason.NOT_ENOUGH_STORAGE
                : otherwise;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
