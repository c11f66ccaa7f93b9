package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.SlotManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Slots another part of the agent booted already, handed to a second updater in the same run (the
 * LwM2M agent's provisioning over MQTT): {@link #boot()} answers what was decided, without a trial or
 * outcome, so that the second updater neither boots the slots again (which would count as a second
 * trial boot) nor judges a trial that is not its own.
 */
public final class BootedSlots implements SlotManager {

    private final SlotManager slots;
    private final Boot boot;

    public BootedSlots(SlotManager slots, Boot decided) {
        this.slots = slots;
        this.boot = new Boot(decided.activeSlot(), decided.activeVersion(), null, null);
    }

    @Override
    public Boot boot() {
        return boot;
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
