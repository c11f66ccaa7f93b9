package io.fleetcast.ota.bundle;

/**
 * Why a bundle was refused. The names are stable: devices report them as {@code OtaReport.errorCode}
 * and the platform counts rollout failures by them.
 */
public enum BundleErrorCode {
    /** Not a bundle, an unknown format version, a non-canonical manifest, lengths that do not add up. */
    MALFORMED,
    /** The manifest's signature does not verify, or its key id is not trusted. */
    BAD_SIGNATURE,
    /** The device's hardware model is not among the manifest's models. */
    WRONG_MODEL,
    /** The installed version is not one the bundle applies to (deltas name exactly one). */
    BASE_MISMATCH,
    /** The anti-rollback counter is below the device's. */
    DOWNGRADE,
    /** The manifest's expiry has passed. */
    EXPIRED,
    /** The payload, or the image a delta produces, does not have the signed hash or length. */
    HASH_MISMATCH
}
