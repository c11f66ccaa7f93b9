package io.fleetcast.ota.bundle;

import java.util.Objects;

/**
 * What a device knows about itself when it judges a manifest.
 *
 * @param hardwareModel the device's hardware model
 * @param installedVersion the version in its active slot
 * @param antiRollbackCounter the highest anti-rollback counter it has committed
 */
public record DeviceFacts(String hardwareModel, String installedVersion, long antiRollbackCounter) {

    public DeviceFacts {
        Objects.requireNonNull(hardwareModel, "hardwareModel");
        Objects.requireNonNull(installedVersion, "installedVersion");
    }
}
