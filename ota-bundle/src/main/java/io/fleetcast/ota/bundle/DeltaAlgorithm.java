package io.fleetcast.ota.bundle;

/** How a delta payload was made, and so how a device applies it. */
public enum DeltaAlgorithm {
    /** bsdiff 4 patch format (as written by jbsdiff, bzip2-compressed blocks). */
    BSDIFF("bsdiff"),
    /** A zstd frame compressed with the base image as raw-content dictionary ({@code zstd --patch-from}). */
    ZSTD_PATCH("zstd-patch");

    private final String id;

    DeltaAlgorithm(String id) {
        this.id = id;
    }

    /** The name in the manifest. */
    public String id() {
        return id;
    }

    /** The algorithm named {@code id} in a manifest, or {@code null} when there is none. */
    public static DeltaAlgorithm fromId(String id) {
        for (DeltaAlgorithm algorithm : values()) {
            if (algorithm.id.equals(id)) {
                return algorithm;
            }
        }
        return null;
    }
}
