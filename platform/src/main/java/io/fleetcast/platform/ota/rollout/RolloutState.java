package io.fleetcast.platform.ota.rollout;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a rollout (after hawkBit). CREATING while its actions are written; then
 * WAITING_FOR_APPROVAL or READY; STARTING until the scheduler opens its first group; RUNNING and
 * PAUSED alternate; a cancel goes through STOPPING (in-flight devices are told to stop) to STOPPED;
 * FINISHED when every group is done.
 */
public enum RolloutState {
    CREATING,
    WAITING_FOR_APPROVAL,
    READY,
    STARTING,
    RUNNING,
    PAUSED,
    STOPPING,
    STOPPED,
    FINISHED;

    /** States the scheduler tick visits. */
    public static final Set<RolloutState> ACTIVE = EnumSet.of(CREATING, READY, STARTING, RUNNING, PAUSED, STOPPING);

    public boolean isFinal() {
        return this == STOPPED || this == FINISHED;
    }

    /** Whether the state machine has an edge from this state to {@code next}. */
    public boolean canMoveTo(RolloutState next) {
        return switch (this) {
            case CREATING -> next == WAITING_FOR_APPROVAL || next == READY || next == STOPPING;
            case WAITING_FOR_APPROVAL -> next == READY || next == STOPPING;
            case READY -> next == STARTING || next == STOPPING;
            case STARTING -> next == RUNNING || next == STOPPING;
            case RUNNING -> next == PAUSED || next == STOPPING || next == FINISHED;
            case PAUSED -> next == RUNNING || next == STOPPING;
            case STOPPING -> next == STOPPED;
            case STOPPED, FINISHED -> false;
        };
    }
}
