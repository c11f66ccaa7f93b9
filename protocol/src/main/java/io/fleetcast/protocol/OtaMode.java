package io.fleetcast.protocol;

/** How a device handles an OTA assignment. */
public enum OtaMode {
    /** Download, verify and install at once, without asking. */
    FORCED,
    /** Download and verify; install when the device allows it (consent, maintenance window). */
    SOFT,
    /** Download and verify only; a later assignment of the same version installs it. */
    DOWNLOAD_ONLY
}
