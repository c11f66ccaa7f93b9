package io.fleetcast.protocol;

/**
 * States of one device's firmware update action. The platform sets the first two and
 * {@link #TIMED_OUT}; the device reports the others in an {@link OtaReport}.
 */
public enum OtaState {
    /** Waiting for its group, its start time, the rate limit or a maintenance window. */
    SCHEDULED(false, false),
    /** The assignment was sent to the device. */
    NOTIFIED(false, false),
    DOWNLOADING(true, false),
    DOWNLOADED(true, false),
    /** Downloaded and verified; the device waits for the viewer to accept the install. */
    WAITING_CONSENT(true, false),
    INSTALLING(true, false),
    REBOOTING(true, false),
    /** Running the new version after the reboot and its health check. */
    SUCCEEDED(true, true),
    FAILED(true, true),
    /** The new version failed its health check and the device went back to its working slot. */
    ROLLED_BACK(true, true),
    CANCELED(true, true),
    /** The device did not finish within the rollout's in-progress timeout. */
    TIMED_OUT(false, true),
    /** The device refused the bundle: bad signature, wrong model, downgrade, expired, no consent. */
    REJECTED(true, true);

    private final boolean reportedByDevice;
    private final boolean terminal;

    OtaState(boolean reportedByDevice, boolean terminal) {
        this.reportedByDevice = reportedByDevice;
        this.terminal = terminal;
    }

    /** True for states a device may report; the others are the platform's. */
    public boolean reportedByDevice() {
        return reportedByDevice;
    }

    /** True when the action is over and no report changes it any more. */
    public boolean terminal() {
        return terminal;
    }
}
