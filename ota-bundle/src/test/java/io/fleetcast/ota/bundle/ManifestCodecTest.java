package io.fleetcast.ota.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    static Manifest delta() {
        return Manifest.builder()
                .version("2.0.0")
                .hardwareModels(List.of("tv-55", "tv-65"))
                .antiRollback(7)
                .delta(
                        DeltaAlgorithm.ZSTD_PATCH,
                        "1.9.0",
                        new ContentDigest(SHA_A, 1234),
                        new ContentDigest(SHA_B, 99999))
                .createdAt(Instant.parse("2026-11-21T00:00:00Z"))
                .expiresAt(Instant.parse("2027-11-21T00:00:00Z"))
                .keyId("0123456789abcdef")
                .build();
    }

    @Test
    void encodes_sorted_keys_without_whitespace_and_integers_for_instants() {
        // Pinned on purpose: another implementation must produce exactly these bytes to verify.
        assertThat(ManifestCodec.encodeToString(delta()))
                .isEqualTo("{\"antiRollback\":7,\"baseVersions\":[\"1.9.0\"],\"createdAt\":1795219200,"
                        + "\"deltaAlgorithm\":\"zstd-patch\",\"expiresAt\":1826755200,"
                        + "\"hardwareModels\":[\"tv-55\",\"tv-65\"],\"imageLength\":99999,\"imageSha256\":\""
                        + SHA_B + "\",\"keyId\":\"0123456789abcdef\",\"payloadLength\":1234,\"payloadSha256\":\""
                        + SHA_A + "\",\"payloadType\":\"DELTA\",\"version\":\"2.0.0\"}");
    }

    @Test
    void decodes_what_it_encodes() throws BundleException {
        Manifest manifest = delta();
        assertThat(ManifestCodec.decode(ManifestCodec.encode(manifest))).isEqualTo(manifest);
        Manifest full = manifest.toBuilder()
                .baseVersions(List.of())
                .fullImage(new ContentDigest(SHA_B, 99999))
                .build();
        assertThat(ManifestCodec.decode(ManifestCodec.encode(full))).isEqualTo(full);
    }

    @Test
    void rejects_whitespace_reordered_keys_unknown_fields_and_duplicates() {
        String canonical = ManifestCodec.encodeToString(delta());
        assertMalformed(canonical.replace(",", ", "));
        assertMalformed(canonical.replace("{\"antiRollback\":7,", "{").replace("}", ",\"antiRollback\":7}"));
        assertMalformed(canonical.replace("{", "{\"extra\":\"x\","));
        assertMalformed(canonical.replace("{", "{\"antiRollback\":8,"));
        assertMalformed(canonical.replace("\"antiRollback\":7", "\"antiRollback\":7.0"));
        assertMalformed(canonical.replace("\"antiRollback\":7", "\"antiRollback\":\"7\""));
        assertMalformed(canonical.replace("\"version\":\"2.0.0\"", "\"version\":\"2.0\\u002e0\""));
        assertMalformed("[]");
        assertMalformed("not json");
    }

    @Test
    void rejects_manifests_that_break_the_rules() {
        String canonical = ManifestCodec.encodeToString(delta());
        // A delta must name exactly one base.
        assertMalformed(canonical.replace("[\"1.9.0\"]", "[\"1.8.0\",\"1.9.0\"]"));
        assertMalformed(canonical.replace("zstd-patch", "xdelta"));
        assertMalformed(canonical.replace(SHA_A, SHA_A.toUpperCase()));
        assertMalformed(canonical.replace("\"antiRollback\":7", "\"antiRollback\":-1"));
    }

    @Test
    void full_image_must_have_equal_payload_and_image() {
        assertThatThrownBy(() -> delta().toBuilder()
                        .payloadType(PayloadType.FULL)
                        .deltaAlgorithm(null)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload is the image");
    }

    private static void assertMalformed(String json) {
        assertThatThrownBy(() -> ManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.code()).isEqualTo(BundleErrorCode.MALFORMED));
    }
}
