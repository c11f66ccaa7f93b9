package io.fleetcast.platform.ota.rollout;

/**
 * Lifecycle of a rollout group. READY until the rollout starts, SCHEDULED while earlier groups run,
 * RUNNING while its devices are notified, then FINISHED (its success threshold was met) or ERROR (all
 * its devices are done and too few succeeded).
 */
public enum GroupState {
    READY,
    SCHEDULED,
    RUNNING,
    FINISHED,
    ERROR
}
