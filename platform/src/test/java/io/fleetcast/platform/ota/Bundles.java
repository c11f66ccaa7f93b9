package io.fleetcast.platform.ota;

import static io.restassured.RestAssured.given;

import io.fleetcast.ota.bundle.BundleSigner;
import io.fleetcast.ota.bundle.BundleWriter;
import io.fleetcast.ota.bundle.ContentDigest;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.delta.Bsdiff;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real signed bundles for tests, written with the ota-bundle module exactly as ota-builder writes
 * them, and the REST calls that register keys and publish bundles (as the {@code @TestSecurity}
 * caller).
 */
public final class Bundles {

    public static final String BUNDLES = "/api/v1/firmware/bundles";
    public static final String KEYS = "/api/v1/firmware/keys";

    private final KeyPair key = Keys.generate();

    public KeyPair key() {
        return key;
    }

    public String keyId() {
        return Keys.keyId(key.getPublic());
    }

    /** Registers this fixture's public key for the caller's tenant. */
    public ValidatableResponse register(String name) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "publicKey", Keys.toPem(key.getPublic())))
                .post(KEYS)
                .then();
    }

    /** A full bundle of a version for models, with a random payload of {@code size} bytes. */
    public byte[] full(String version, List<String> models, int size) throws Exception {
        byte[] image = payload(size, version.hashCode());
        return write(
                manifest(version, models).fullImage(ContentDigest.of(image)).build(), image);
    }

    /** A delta bundle from {@code base} (the payload stands in for a patch). */
    public byte[] delta(String version, String base, List<String> models, int size) throws Exception {
        byte[] patch = payload(size, (version + base).hashCode());
        byte[] image = payload(size * 4, version.hashCode());
        return write(
                manifest(version, models)
                        .delta(DeltaAlgorithm.BSDIFF, base, ContentDigest.of(patch), ContentDigest.of(image))
                        .build(),
                patch);
    }

    /** A full bundle of a version whose payload is {@code image}. */
    public byte[] fullOf(String version, List<String> models, byte[] image) throws Exception {
        return write(
                manifest(version, models).fullImage(ContentDigest.of(image)).build(), image);
    }

    /** A delta bundle with a real bsdiff patch that turns {@code baseImage} into {@code image}. */
    public byte[] deltaOf(String version, String base, List<String> models, byte[] baseImage, byte[] image)
            throws Exception {
        Path directory = Files.createTempDirectory("delta");
        try {
            Path basePath = Files.write(directory.resolve("base"), baseImage);
            Path imagePath = Files.write(directory.resolve("image"), image);
            ByteArrayOutputStream patch = new ByteArrayOutputStream();
            Bsdiff.diff(basePath, imagePath, patch);
            byte[] payload = patch.toByteArray();
            return write(
                    manifest(version, models)
                            .delta(DeltaAlgorithm.BSDIFF, base, ContentDigest.of(payload), ContentDigest.of(image))
                            .build(),
                    payload);
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    /** A full bundle whose manifest expired an hour ago. */
    public byte[] expired(String version, List<String> models) throws Exception {
        byte[] image = payload(1000, 7);
        Manifest manifest = manifest(version, models)
                .fullImage(ContentDigest.of(image))
                .createdAt(Instant.now().minus(2, ChronoUnit.DAYS))
                .expiresAt(Instant.now().minus(1, ChronoUnit.HOURS))
                .build();
        return write(manifest, image);
    }

    public static ValidatableResponse publish(byte[] bundle) {
        return given().contentType("application/octet-stream")
                .body(bundle)
                .post(BUNDLES)
                .then();
    }

    private Manifest.Builder manifest(String version, List<String> models) {
        return Manifest.builder()
                .version(version)
                .hardwareModels(models)
                .antiRollback(1)
                .createdAt(Instant.now())
                .expiresAt(Instant.now().plus(365, ChronoUnit.DAYS))
                .keyId(keyId());
    }

    private byte[] write(Manifest manifest, byte[] payload) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BundleWriter(new BundleSigner(key.getPrivate(), key.getPublic()))
                .write(manifest, new ByteArrayInputStream(payload), out);
        return out.toByteArray();
    }

    private static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
