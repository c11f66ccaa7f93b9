package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.ForwardingSlotManager;
import io.fleetcast.agent.ota.SlotManager;

/**
 * Slots another part of the agent booted already, handed to a second updater in the same run (the
 * LwM2M agent's provisioning over MQTT): {@link #boot()} answers what was decided, without a trial or
 * outcome, so that the second updater neither boots the slots again (which would count as a second
 * trial boot) nor judges a trial that is not its own.
 */
public final class BootedSlots extends ForwardingSlotManager {

    private final Boot boot;

    public BootedSlots(SlotManager slots, Boot decided) {
        super(slots);
        this.boot = new Boot(decided.activeSlot(), decided.activeVersion(), null, null);
    }

    @Override
    public Boot boot() {
        return boot;
    }
}
