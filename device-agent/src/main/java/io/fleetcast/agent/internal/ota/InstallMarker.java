package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.SlotManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A file in the updater's work directory naming the action whose image is being written into the
 * inactive slot. It exists from just before the slot is opened until the slot is named for a trial
 * boot (or the write failed), so one found at start means the device stopped in the middle of the
 * write, a power cut: the slot manager never named the half-written slot, and the committed slot runs.
 * The slot manager alone cannot tell that; for it, an interrupted write is no different from no write.
 *
 * <p>One file serves both transports (they share the work directory and {@link SlotWriter}); an LwM2M
 * action id starts with {@link SlotPackageInstaller#ACTION_PREFIX}, so each transport answers for its
 * own installs only.
 */
final class InstallMarker {

    private static final Logger LOG = Logger.getLogger(InstallMarker.class.getName());

    static final String FILE = "installing";

    private final Path file;

    InstallMarker(Path workDir) {
        this.file = workDir.resolve(FILE);
    }

    /** Names {@code actionId}, forced to storage before the slot is touched. */
    synchronized void write(String actionId) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(actionId.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        forceDirectory();
    }

    /** Forgets the marker; a failure is only logged, since the next start sorts out a stale one. */
    synchronized void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file, e);
        }
    }

    /**
     * Forgets the marker if it still names {@code actionId}: an install that started since then keeps
     * its own.
     */
    synchronized void deleteIfNaming(String actionId) {
        try {
            if (Files.exists(file)
                    && Files.readString(file, StandardCharsets.UTF_8).trim().equals(actionId)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file, e);
        }
    }

    /**
     * The action whose install the last run left cut off, or null. The marker stays until {@link
     * #delete()}, so that the outcome survives restarts until it is reported. A marker whose action the
     * boot's trial or outcome names is deleted here: the cut came after the slot was named, and the
     * trial tells how the action ended. So is an empty one (the cut came while the marker was written)
     * and one that cannot be read.
     *
     * @param decided what the slot manager decided at this boot
     * @param ours the actions the caller answers for; a marker of another transport's action is left alone
     */
    String interrupted(SlotManager.Boot decided, Predicate<String> ours) {
        String action;
        try {
            if (!Files.exists(file)) {
                return null;
            }
            action = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + file + "; ignoring it", e);
            delete();
            return null;
        }
        if (action.isEmpty() || namedByBoot(decided, action)) {
            delete();
            return null;
        }
        if (!ours.test(action)) {
            return null;
        }
        LOG.warning(() -> "the install of " + action + " was cut off; running slot " + decided.activeSlot() + " ("
                + decided.activeVersion() + ")");
        return action;
    }

    /** Whether the boot's trial or its unreported outcome belongs to {@code actionId}. */
    static boolean namedByBoot(SlotManager.Boot decided, String actionId) {
        return decided != null
                && ((decided.trial() != null && actionId.equals(decided.trial().actionId()))
                        || (decided.outcome() != null
                                && actionId.equals(decided.outcome().actionId())));
    }

    /** A new file is durable only once its directory entry is; not every platform can force a directory. */
    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot force " + file.getParent(), e);
        }
    }
}
