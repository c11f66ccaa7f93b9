package io.fleetcast.ota.bundle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The signed description of a bundle. Everything a device checks before it touches a slot is here;
 * the payload itself is only trusted through {@link #payloadSha256()}.
 *
 * <p>Instants have whole seconds: the canonical encoding carries epoch seconds, and a manifest that
 * could not survive encoding would sign something other than what the builder meant.
 *
 * @param version the firmware version the bundle installs
 * @param hardwareModels the hardware models it may be installed on (at least one)
 * @param baseVersions installed versions it applies to; empty means any. A delta names exactly one.
 * @param antiRollback monotonic counter: a device refuses a bundle whose counter is below its own
 * @param payloadType full image or delta
 * @param deltaAlgorithm how the delta was made; {@code null} for a full image
 * @param payloadSha256 lowercase hex SHA-256 of the payload bytes
 * @param payloadLength length of the payload in bytes
 * @param imageSha256 lowercase hex SHA-256 of the resulting full image (for a full bundle, the payload's)
 * @param imageLength length of the resulting full image
 * @param createdAt when the bundle was built
 * @param expiresAt devices refuse the bundle after this instant
 * @param keyId id of the signing key (see {@link Keys#keyId})
 */
public record Manifest(
        String version,
        List<String> hardwareModels,
        List<String> baseVersions,
        long antiRollback,
        PayloadType payloadType,
        DeltaAlgorithm deltaAlgorithm,
        String payloadSha256,
        long payloadLength,
        String imageSha256,
        long imageLength,
        Instant createdAt,
        Instant expiresAt,
        String keyId) {

    /** Versions, models and key ids: the same short tokens the device protocol uses. */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:~-]{0,63}");

    public static final int MAX_MODELS = 256;
    public static final int MAX_BASE_VERSIONS = 256;

    /** @throws IllegalArgumentException when a field is missing or out of its range */
    public Manifest {
        hardwareModels = List.copyOf(Objects.requireNonNull(hardwareModels, "hardwareModels"));
        baseVersions = baseVersions == null ? List.of() : List.copyOf(baseVersions);
        List<String> problems = problems(
                version,
                hardwareModels,
                baseVersions,
                antiRollback,
                payloadType,
                deltaAlgorithm,
                payloadSha256,
                payloadLength,
                imageSha256,
                imageLength,
                createdAt,
                expiresAt,
                keyId);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid manifest: " + String.join("; ", problems));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this manifest's fields. */
    public Builder toBuilder() {
        return new Builder()
                .version(version)
                .hardwareModels(hardwareModels)
                .baseVersions(baseVersions)
                .antiRollback(antiRollback)
                .payloadType(payloadType)
                .deltaAlgorithm(deltaAlgorithm)
                .payload(payloadSha256, payloadLength)
                .image(imageSha256, imageLength)
                .createdAt(createdAt)
                .expiresAt(expiresAt)
                .keyId(keyId);
    }

    public boolean isDelta() {
        return payloadType == PayloadType.DELTA;
    }

    private static List<String> problems(
            String version,
            List<String> hardwareModels,
            List<String> baseVersions,
            long antiRollback,
            PayloadType payloadType,
            DeltaAlgorithm deltaAlgorithm,
            String payloadSha256,
            long payloadLength,
            String imageSha256,
            long imageLength,
            Instant createdAt,
            Instant expiresAt,
            String keyId) {
        List<String> problems = new ArrayList<>();
        if (!isToken(version)) {
            problems.add("version must be a token of at most 64 characters");
        }
        if (hardwareModels.isEmpty() || hardwareModels.size() > MAX_MODELS) {
            problems.add("hardwareModels must name 1 to " + MAX_MODELS + " models");
        }
        if (!hardwareModels.stream().allMatch(Manifest::isToken)) {
            problems.add("hardwareModels must be tokens");
        }
        if (baseVersions.size() > MAX_BASE_VERSIONS || !baseVersions.stream().allMatch(Manifest::isToken)) {
            problems.add("baseVersions must be at most " + MAX_BASE_VERSIONS + " tokens");
        }
        if (antiRollback < 0) {
            problems.add("antiRollback must not be negative");
        }
        if (payloadType == null) {
            problems.add("payloadType is required");
        } else if (payloadType == PayloadType.DELTA) {
            if (deltaAlgorithm == null) {
                problems.add("a delta needs a deltaAlgorithm");
            }
            if (baseVersions.size() != 1) {
                problems.add("a delta applies to exactly one base version");
            }
        } else {
            if (deltaAlgorithm != null) {
                problems.add("a full image has no deltaAlgorithm");
            }
            if (!Objects.equals(payloadSha256, imageSha256) || payloadLength != imageLength) {
                problems.add("a full image's payload is the image: hashes and lengths must agree");
            }
        }
        if (payloadSha256 == null || !Hex.SHA256.matcher(payloadSha256).matches()) {
            problems.add("payloadSha256 must be 64 lowercase hex digits");
        }
        if (imageSha256 == null || !Hex.SHA256.matcher(imageSha256).matches()) {
            problems.add("imageSha256 must be 64 lowercase hex digits");
        }
        if (payloadLength < 0 || imageLength < 0) {
            problems.add("lengths must not be negative");
        }
        if (createdAt == null || createdAt.getNano() != 0) {
            problems.add("createdAt is required, in whole seconds");
        }
        if (expiresAt == null || expiresAt.getNano() != 0) {
            problems.add("expiresAt is required, in whole seconds");
        }
        if (!isToken(keyId)) {
            problems.add("keyId must be a token");
        }
        return problems;
    }

    private static boolean isToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    /** Builds a {@link Manifest}; instants are truncated to whole seconds. */
    public static final class Builder {
        private String version;
        private List<String> hardwareModels = List.of();
        private List<String> baseVersions = List.of();
        private long antiRollback;
        private PayloadType payloadType = PayloadType.FULL;
        private DeltaAlgorithm deltaAlgorithm;
        private String payloadSha256;
        private long payloadLength;
        private String imageSha256;
        private long imageLength;
        private Instant createdAt;
        private Instant expiresAt;
        private String keyId;

        private Builder() {}

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder hardwareModels(List<String> hardwareModels) {
            this.hardwareModels = hardwareModels;
            return this;
        }

        public Builder baseVersions(List<String> baseVersions) {
            this.baseVersions = baseVersions;
            return this;
        }

        public Builder antiRollback(long antiRollback) {
            this.antiRollback = antiRollback;
            return this;
        }

        public Builder payloadType(PayloadType payloadType) {
            this.payloadType = payloadType;
            return this;
        }

        public Builder deltaAlgorithm(DeltaAlgorithm deltaAlgorithm) {
            this.deltaAlgorithm = deltaAlgorithm;
            return this;
        }

        public Builder payload(String sha256, long length) {
            this.payloadSha256 = sha256;
            this.payloadLength = length;
            return this;
        }

        public Builder image(String sha256, long length) {
            this.imageSha256 = sha256;
            this.imageLength = length;
            return this;
        }

        /** A full image: payload and image are the same bytes. */
        public Builder fullImage(ContentDigest image) {
            return payloadType(PayloadType.FULL)
                    .deltaAlgorithm(null)
                    .payload(image.sha256(), image.length())
                    .image(image.sha256(), image.length());
        }

        /** A delta from {@code baseVersion}, producing {@code image}. */
        public Builder delta(DeltaAlgorithm algorithm, String baseVersion, ContentDigest patch, ContentDigest image) {
            return payloadType(PayloadType.DELTA)
                    .deltaAlgorithm(algorithm)
                    .baseVersions(List.of(baseVersion))
                    .payload(patch.sha256(), patch.length())
                    .image(image.sha256(), image.length());
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        public Manifest build() {
            return new Manifest(
                    version,
                    hardwareModels,
                    baseVersions,
                    antiRollback,
                    payloadType,
                    deltaAlgorithm,
                    payloadSha256,
                    payloadLength,
                    imageSha256,
                    imageLength,
                    createdAt,
                    expiresAt,
                    keyId);
        }
    }
}
