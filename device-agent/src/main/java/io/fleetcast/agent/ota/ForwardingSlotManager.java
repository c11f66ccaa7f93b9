package io.fleetcast.agent.ota;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link SlotManager} that hands every call to another one: extend it to change one step, such as
 * watching or refusing the write of the inactive slot, and keep the rest.
 */
public abstract class ForwardingSlotManager implements SlotManager {

    protected final SlotManager slots;

    protected ForwardingSlotManager(SlotManager slots) {
        this.slots = Objects.requireNonNull(slots, "slots");
    }

    @Override
    public Boot boot() throws IOException {
        return slots.boot();
    }

    @Override
    public Path activeImage() {
        return slots.activeImage();
    }

    @Override
    public long antiRollbackCounter() {
        return slots.antiRollbackCounter();
    }

    @Override
    public OutputStream openInactive() throws IOException {
        return slots.openInactive();
    }

    @Override
    public void markInactiveForTrial(String version, long antiRollback, String actionId) throws IOException {
        slots.markInactiveForTrial(version, antiRollback, actionId);
    }

    @Override
    public void commit() throws IOException {
        slots.commit();
    }

    @Override
    public void abandonTrial() throws IOException {
        slots.abandonTrial();
    }

    @Override
    public void clearOutcome() throws IOException {
        slots.clearOutcome();
    }
}
