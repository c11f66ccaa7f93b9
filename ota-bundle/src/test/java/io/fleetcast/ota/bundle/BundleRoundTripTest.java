package io.fleetcast.ota.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRoundTripTest {

    @TempDir
    Path dir;

    private final KeyPair key = TestKeys.generate();
    private final BundleSigner signer = TestKeys.signer(key);
    private final BundleVerifier verifier = new BundleVerifier(TrustedKeys.of(key.getPublic()));

    private Path image(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = dir.resolve("image-" + size + ".img");
        Files.write(file, bytes);
        return file;
    }

    private Manifest fullManifest(Path image) throws IOException {
        return Manifest.builder()
                .version("2.0.0")
                .hardwareModels(List.of("tv-55"))
                .antiRollback(3)
                .fullImage(ContentDigest.of(image))
                .createdAt(Instant.parse("2026-11-21T00:00:00Z"))
                .expiresAt(Instant.parse("2027-11-21T00:00:00Z"))
                .keyId(signer.keyId())
                .build();
    }

    private byte[] bundle(int size) throws Exception {
        Path image = image(size);
        Path bundle = dir.resolve("b.fcota");
        new BundleWriter(signer).write(fullManifest(image), image, bundle);
        return Files.readAllBytes(bundle);
    }

    @Test
    void verifies_what_it_writes_and_keeps_the_payload_intact() throws Exception {
        Path image = image(300_000);
        Path bundle = dir.resolve("b.fcota");
        BundleHeader written = new BundleWriter(signer).write(fullManifest(image), image, bundle);

        BundleHeader read = verifier.verify(bundle);

        assertThat(read.manifest()).isEqualTo(written.manifest());
        assertThat(Files.size(bundle)).isEqualTo(read.bundleLength());
        byte[] bytes = Files.readAllBytes(bundle);
        byte[] payload = Arrays.copyOfRange(bytes, (int) read.payloadOffset(), bytes.length);
        assertThat(payload).isEqualTo(Files.readAllBytes(image));
    }

    @Test
    void reads_the_signed_manifest_from_the_first_bytes_alone() throws Exception {
        byte[] bytes = bundle(100_000);
        BundleHeader header = BundleHeader.read(new ByteArrayInputStream(bytes, 0, 1000));
        TrustedKeys.of(key.getPublic()).verify(header);
        assertThat(header.manifest().payloadLength()).isEqualTo(100_000);
    }

    @Test
    void rejects_tampered_manifest() throws Exception {
        byte[] bytes = bundle(10_000);
        replace(bytes, "\"version\":\"2.0.0\"", "\"version\":\"2.0.1\"");
        assertRefused(bytes, BundleErrorCode.BAD_SIGNATURE);
    }

    @Test
    void rejects_tampered_payload() throws Exception {
        byte[] bytes = bundle(10_000);
        bytes[bytes.length - 10] ^= 1;
        assertRefused(bytes, BundleErrorCode.HASH_MISMATCH);
    }

    @Test
    void rejects_tampered_signature() throws Exception {
        byte[] bytes = bundle(10_000);
        BundleHeader header = BundleHeader.read(new ByteArrayInputStream(bytes));
        bytes[(int) header.payloadOffset() - 1] ^= 1;
        assertRefused(bytes, BundleErrorCode.BAD_SIGNATURE);
    }

    @Test
    void rejects_a_bundle_signed_with_an_untrusted_key() throws Exception {
        byte[] bytes = bundle(10_000);
        BundleVerifier other =
                new BundleVerifier(TrustedKeys.of(TestKeys.generate().getPublic()));
        assertThatThrownBy(() -> other.verify(new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(BundleException.class, e -> {
                    assertThat(e.code()).isEqualTo(BundleErrorCode.BAD_SIGNATURE);
                    assertThat(e.getMessage()).contains("not trusted");
                });
    }

    @Test
    void rejects_a_signature_by_another_key_under_a_trusted_key_id() throws Exception {
        // An attacker who copies a trusted key id into a manifest signed with his own key.
        KeyPair attacker = TestKeys.generate();
        Path image = image(5_000);
        Manifest manifest = fullManifest(image);
        byte[] manifestBytes = ManifestCodec.encode(manifest);
        byte[] forged = TestKeys.signer(attacker).sign(manifestBytes);
        assertThatThrownBy(() -> TrustedKeys.of(key.getPublic()).verify(manifestBytes, forged, signer.keyId()))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.code()).isEqualTo(BundleErrorCode.BAD_SIGNATURE));
    }

    @Test
    void rejects_truncated_files_anywhere() throws Exception {
        byte[] bytes = bundle(10_000);
        BundleHeader header = BundleHeader.read(new ByteArrayInputStream(bytes));
        for (int length : new int[] {0, 5, 9, 13, 100, (int) header.payloadOffset() - 1, bytes.length - 1}) {
            assertRefused(Arrays.copyOf(bytes, length), BundleErrorCode.MALFORMED);
        }
    }

    @Test
    void rejects_bytes_after_the_payload() throws Exception {
        byte[] bytes = bundle(10_000);
        assertRefused(Arrays.copyOf(bytes, bytes.length + 1), BundleErrorCode.MALFORMED);
    }

    @Test
    void rejects_lying_manifest_and_signature_lengths() throws Exception {
        byte[] bytes = bundle(1_000);
        byte[] hugeManifest = bytes.clone();
        hugeManifest[10] = 0x7f; // manifest length field, big-endian at offset 10
        assertRefused(hugeManifest, BundleErrorCode.MALFORMED);

        byte[] shortManifest = bytes.clone();
        shortManifest[13] -= 1;
        assertRefused(shortManifest, BundleErrorCode.MALFORMED);

        BundleHeader header = BundleHeader.read(new ByteArrayInputStream(bytes));
        byte[] longSignature = bytes.clone();
        longSignature[(int) header.payloadOffset() - 65] = 65; // low byte of the signature length
        assertRefused(longSignature, BundleErrorCode.MALFORMED);

        byte[] otherVersion = bytes.clone();
        otherVersion[9] = 2;
        assertRefused(otherVersion, BundleErrorCode.MALFORMED);
    }

    @Test
    void rejects_a_signed_manifest_that_claims_more_payload_than_the_file_has() throws Exception {
        Path image = image(2_000);
        Manifest manifest = fullManifest(image);
        // Signed, but the payload behind it is shorter than the manifest says.
        BundleHeader header = BundleHeader.sign(manifest, signer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.encode());
        out.write(Files.readAllBytes(image), 0, 1_000);
        assertRefused(out.toByteArray(), BundleErrorCode.MALFORMED);
    }

    @Test
    void writer_refuses_a_payload_that_changed_since_it_was_hashed() throws Exception {
        Path image = image(2_000);
        Manifest manifest = fullManifest(image);
        Files.write(image, new byte[2_000]);
        Path bundle = dir.resolve("changed.fcota");
        assertThatThrownBy(() -> new BundleWriter(signer).write(manifest, image, bundle))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.code()).isEqualTo(BundleErrorCode.HASH_MISMATCH));
        assertThat(bundle).doesNotExist();
    }

    @Test
    void rejects_non_bundles() {
        assertRefused("hello world, this is not a bundle".getBytes(), BundleErrorCode.MALFORMED);
    }

    @Test
    void header_layout_is_as_documented() throws Exception {
        byte[] bytes = bundle(10);
        BundleHeader header = BundleHeader.read(new ByteArrayInputStream(bytes));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(expected);
        data.write(new byte[] {'F', 'C', 'O', 'T', 'A', 0x0D, 0x0A, 0x1A});
        data.writeShort(1);
        data.writeInt(header.manifestBytes().length);
        data.write(header.manifestBytes());
        data.writeShort(64);
        data.write(header.signature());
        assertThat(Arrays.copyOf(bytes, (int) header.payloadOffset())).isEqualTo(expected.toByteArray());
    }

    private void assertRefused(byte[] bytes, BundleErrorCode code) {
        assertThatThrownBy(() -> verifier.verify(new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(
                        BundleException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    private static void replace(byte[] bytes, String from, String to) {
        byte[] needle = from.getBytes();
        byte[] replacement = to.getBytes();
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                System.arraycopy(replacement, 0, bytes, i, replacement.length);
                return;
            }
        }
        throw new AssertionError("not found: " + from);
    }
}
