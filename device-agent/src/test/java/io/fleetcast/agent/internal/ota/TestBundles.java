package io.fleetcast.agent.internal.ota;

import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleSigner;
import io.fleetcast.ota.bundle.ContentDigest;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.delta.Bsdiff;
import io.fleetcast.ota.delta.ProgressListener;
import io.fleetcast.ota.delta.ZstdPatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Signed bundles for updater tests, built with the real bundle and delta code. */
final class TestBundles {

    final KeyPair key = Keys.generate();
    final BundleSigner signer = new BundleSigner(key.getPrivate(), key.getPublic());
    private final Path dir;
    /** Fixed, for tests on a fixed clock; tests on the system clock set them around now. */
    Instant createdAt = Instant.parse("2026-11-01T00:00:00Z");

    Instant expiresAt = Instant.parse("2027-11-01T00:00:00Z");

    TestBundles(Path dir) {
        this.dir = dir;
    }

    static byte[] image(int size, long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[size];
        for (int at = 0; at < size; at += 4096) {
            int n = Math.min(4096, size - at);
            if (random.nextBoolean()) {
                byte[] block = new byte[n];
                random.nextBytes(block);
                System.arraycopy(block, 0, bytes, at, n);
            } else {
                for (int i = 0; i < n; i++) {
                    bytes[at + i] = (byte) ('a' + random.nextInt(5));
                }
            }
        }
        return bytes;
    }

    static byte[] edited(byte[] base, long seed) {
        byte[] copy = base.clone();
        Random random = new Random(seed);
        for (int i = 0; i < 30; i++) {
            copy[random.nextInt(copy.length)] ^= 0x33;
        }
        return copy;
    }

    Manifest.Builder manifest(String version) {
        return Manifest.builder()
                .version(version)
                .hardwareModels(List.of("tv-55"))
                .antiRollback(5)
                .createdAt(createdAt)
                .expiresAt(expiresAt)
                .keyId(signer.keyId());
    }

    byte[] full(String version, byte[] image) throws IOException {
        return write(manifest(version).fullImage(ContentDigest.of(image)).build(), image);
    }

    byte[] full(Manifest.Builder manifest, byte[] image) throws IOException {
        return write(manifest.fullImage(ContentDigest.of(image)).build(), image);
    }

    byte[] delta(String version, String baseVersion, byte[] base, byte[] image, DeltaAlgorithm algorithm)
            throws IOException {
        Path basePath = Files.write(dir.resolve("delta-base"), base);
        Path imagePath = Files.write(dir.resolve("delta-image"), image);
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        if (algorithm == DeltaAlgorithm.BSDIFF) {
            Bsdiff.diff(basePath, imagePath, patch);
        } else {
            ZstdPatch.encode(basePath, imagePath, 9, patch, ProgressListener.NONE);
        }
        byte[] payload = patch.toByteArray();
        return write(
                manifest(version)
                        .delta(algorithm, baseVersion, ContentDigest.of(payload), ContentDigest.of(image))
                        .build(),
                payload);
    }

    byte[] write(Manifest manifest, byte[] payload) {
        BundleHeader header = BundleHeader.sign(manifest, signer);
        byte[] head = header.encode();
        byte[] bundle = new byte[head.length + payload.length];
        System.arraycopy(head, 0, bundle, 0, head.length);
        System.arraycopy(payload, 0, bundle, head.length, payload.length);
        return bundle;
    }
}
