package io.fleetcast.platform.device;

/**
 * Lifecycle of a device record. Derived from two columns (enabled, credential) rather than stored, so
 * it cannot disagree with them.
 */
public enum DeviceStatus {
    /** Registered in bulk; waits for its first provisioning by claim. */
    PREREGISTERED,
    /** Holds a credential and may connect. */
    ACTIVE,
    /** Refused at CONNECT until enabled again. */
    DISABLED;

    /** SQL condition on the {@code devices d} alias that selects this status. */
    String sqlCondition() {
        return switch (this) {
            case PREREGISTERED -> "d.enabled AND d.credential_hash IS NULL";
            case ACTIVE -> "d.enabled AND d.credential_hash IS NOT NULL";
            case DISABLED -> "NOT d.enabled";
        };
    }
}
