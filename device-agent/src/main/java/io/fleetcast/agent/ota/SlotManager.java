package io.fleetcast.agent.ota;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The device's A/B slots and its boot state. The agent writes the slot it is not running from, marks
 * it for one trial boot only once it is completely written and verified, and commits it after the
 * health check of the next boot. Everything else is the bootloader's business: a trial slot that
 * boots and is not committed must not be booted again.
 *
 * <p>The default ({@code DirectorySlotManager}) keeps each slot's image as a file under the agent's
 * state directory and simulates the bootloader in {@link #boot()}. A device integration implements
 * this over its real partitions and bootloader variables.
 *
 * <p><b>Threading:</b> called from the agent's update thread and its agent thread, never at the same
 * time for one slot; implementations need no locks beyond that.
 */
public interface SlotManager {

    /**
     * Called once when the agent starts, as a bootloader runs once per boot: decides which slot runs.
     * A slot marked for trial is booted once; a trial slot that was booted before and never committed
     * is given up, and the committed slot runs again.
     */
    Boot boot() throws IOException;

    /** The image of the running slot, read when a delta is applied. */
    Path activeImage();

    /** The highest anti-rollback counter committed on this device. */
    long antiRollbackCounter();

    /**
     * Makes the inactive slot unbootable, then opens it for writing from its start. Closing the stream
     * flushes the image to storage.
     *
     * @throws IllegalStateException while a trial boot awaits its health check
     */
    OutputStream openInactive() throws IOException;

    /** The inactive slot is completely written and verified: boot it once, on the next boot. */
    void markInactiveForTrial(String version, long antiRollback, String actionId) throws IOException;

    /** The running trial slot passed its health check: it becomes the committed slot. */
    void commit() throws IOException;

    /** The running trial slot failed its health check: the next boot runs the committed slot. */
    void abandonTrial() throws IOException;

    /** The outcome returned by {@link #boot()} was reported to the platform; forget it. */
    void clearOutcome() throws IOException;

    /**
     * What {@link #boot()} decided.
     *
     * @param activeSlot the slot running now
     * @param activeVersion the firmware version in it
     * @param trial non-null when this boot runs a trial slot whose health check is still to pass
     * @param outcome non-null when an earlier trial ended (committed or fallen back) and the platform was
     *     not told yet
     */
    record Boot(String activeSlot, String activeVersion, Trial trial, Outcome outcome) {}

    /** A trial boot of {@code version}, installed by the action {@code actionId}. */
    record Trial(String actionId, String version) {}

    /** How a trial ended: committed, or fallen back to the previous slot. */
    record Outcome(String actionId, String version, boolean committed) {}
}
