package io.fleetcast.ota.bundle;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides whether a (signature-checked) manifest may be installed on a device. Checks run in a fixed
 * order so a device always reports the same code for the same bundle: model, expiry, anti-rollback,
 * base version.
 */
public final class ManifestValidator {

    private final Clock clock;

    /** @param clock the device's clock; expiry is judged against it */
    public ManifestValidator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws BundleException {@link BundleErrorCode#WRONG_MODEL}, {@link BundleErrorCode#EXPIRED},
     *     {@link BundleErrorCode#DOWNGRADE} or {@link BundleErrorCode#BASE_MISMATCH}
     */
    public void validate(Manifest manifest, DeviceFacts device) throws BundleException {
        if (!manifest.hardwareModels().contains(device.hardwareModel())) {
            throw new BundleException(
                    BundleErrorCode.WRONG_MODEL,
                    "the bundle is for " + manifest.hardwareModels() + ", this device is a " + device.hardwareModel());
        }
        Instant now = clock.instant();
        if (!now.isBefore(manifest.expiresAt())) {
            throw new BundleException(
                    BundleErrorCode.EXPIRED, "the bundle expired at " + manifest.expiresAt() + " (now " + now + ")");
        }
        // Equal counters are fine: a fix release need not raise the counter, only a security fix does.
        if (manifest.antiRollback() < device.antiRollbackCounter()) {
            throw new BundleException(
                    BundleErrorCode.DOWNGRADE,
                    "the bundle's anti-rollback counter " + manifest.antiRollback() + " is below the device's "
                            + device.antiRollbackCounter());
        }
        if (!manifest.baseVersions().isEmpty() && !manifest.baseVersions().contains(device.installedVersion())) {
            throw new BundleException(
                    BundleErrorCode.BASE_MISMATCH,
                    "the bundle applies to " + manifest.baseVersions() + ", the device runs "
                            + device.installedVersion());
        }
    }
}
