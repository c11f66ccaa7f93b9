package io.fleetcast.platform.ota.firmware;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A published bundle of one model: the full image of a version ({@code baseVersion} null) or a delta
 * from {@code baseVersion}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleView(
        UUID id,
        String model,
        String version,
        String baseVersion,
        String sha256,
        long size,
        String keyId,
        long antiRollback,
        Instant expiresAt,
        String createdBy,
        Instant createdAt) {

    /** A page of bundles; {@code next} is the cursor of the following page. */
    public record Page(List<BundleView> items, String next) {}

    /** What an upload published: one bundle per model the manifest names. */
    public record Published(String sha256, long size, String version, String baseVersion, List<BundleView> bundles) {}
}
