package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.BundleErrorCode;
import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleVerifier;
import io.fleetcast.ota.bundle.DeviceFacts;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.ManifestValidator;
import io.fleetcast.protocol.OtaState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The device's judgement of a bundle, the same before the payload arrives and after: signature by a
 * trusted key, hardware model, expiry, anti-rollback counter and base version against the running
 * slot, and what the platform said to expect (version, size) when it said anything.
 */
final class BundleCheck {

    private final UpdaterSettings settings;
    private final SlotManager slots;
    private final Clock clock;
    private final Supplier<String> installedVersion;

    /** @param installedVersion the version the running slot holds, null when unknown */
    BundleCheck(UpdaterSettings settings, SlotManager slots, Clock clock, Supplier<String> installedVersion) {
        this.settings = settings;
        this.slots = slots;
        this.clock = clock;
        this.installedVersion = installedVersion;
    }

    /** Refuses everything while the device lacks what it needs to judge a bundle. */
    void requireConfigured() throws Refusal {
        if (settings.trustedKeys().isEmpty()) {
            throw new Refusal(
                    OtaState.REJECTED, "BAD_SIGNATURE", "no trusted OTA keys are configured (ota.trusted-keys)");
        }
        if (settings.hardwareModel() == null) {
            throw new Refusal(
                    OtaState.REJECTED, "WRONG_MODEL", "no hardware model is configured (device.hardware-model)");
        }
    }

    /**
     * Judges a signed header.
     *
     * @param expectedVersion the version the platform assigned, null when it named none
     * @param expectedSize the bundle size the platform announced, null when it named none
     */
    void judge(BundleHeader header, String expectedVersion, Long expectedSize) throws Refusal {
        try {
            settings.trustedKeys().verify(header);
            Manifest manifest = header.manifest();
            String installed = installedVersion.get();
            new ManifestValidator(clock)
                    .validate(
                            manifest,
                            new DeviceFacts(
                                    settings.hardwareModel(),
                                    installed == null ? "" : installed,
                                    slots.antiRollbackCounter()));
            if (expectedVersion != null && !manifest.version().equals(expectedVersion)) {
                throw new Refusal(
                        OtaState.REJECTED,
                        "MALFORMED",
                        "the bundle installs " + manifest.version() + ", the assignment says " + expectedVersion);
            }
            if (expectedSize != null && expectedSize != header.bundleLength()) {
                throw new Refusal(
                        OtaState.FAILED,
                        "MALFORMED",
                        "the bundle has " + header.bundleLength() + " bytes, the assignment says " + expectedSize);
            }
        } catch (BundleException e) {
            throw refusalFor(e);
        }
    }

    /** Verifies a complete download: signature, header, payload hash and length. */
    BundleHeader verify(Path bundle, String expectedVersion, Long expectedSize) throws Refusal, IOException {
        try {
            BundleHeader header = new BundleVerifier(settings.trustedKeys()).verify(bundle);
            judge(header, expectedVersion, expectedSize);
            return header;
        } catch (BundleException e) {
            Files.deleteIfExists(bundle); // a corrupt download must not be resumed
            throw refusalFor(e);
        }
    }

    /** A damaged bundle may be fetched again (FAILED); one that is not for this device may not (REJECTED). */
    static Refusal refusalFor(BundleException e) {
        OtaState state = e.code() == BundleErrorCode.HASH_MISMATCH || e.code() == BundleErrorCode.MALFORMED
                ? OtaState.FAILED
                : OtaState.REJECTED;
        return new Refusal(state, e.code().name(), e.getMessage());
    }
}
