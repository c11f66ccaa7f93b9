package io.fleetcast.otabuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.PayloadType;
import io.fleetcast.ota.delta.Bsdiff;
import io.fleetcast.ota.delta.ZstdPatch;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildAndVerifyTest {

    @TempDir
    Path dir;

    private Path key;
    private Path publicKey;
    private Path base;
    private Path image;

    @BeforeEach
    void keysAndImages() throws Exception {
        Cli.Run keygen = Cli.run("keygen", "--out", dir.resolve("keys/signing").toString());
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        assertThat(keygen.out()).containsPattern("key id [0-9a-f]{16}");
        key = dir.resolve("keys/signing.key.pem");
        publicKey = dir.resolve("keys/signing.pub.pem");
        byte[] baseBytes = imageLike(1_500_000, 1);
        byte[] imageBytes = baseBytes.clone();
        Random random = new Random(2);
        for (int i = 0; i < 40; i++) {
            imageBytes[random.nextInt(imageBytes.length)] ^= 0x5a;
        }
        base = Files.write(dir.resolve("base.img"), baseBytes);
        image = Files.write(dir.resolve("new.img"), imageBytes);
    }

    @Test
    void keygen_writes_an_owner_only_private_key_and_never_overwrites() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        Cli.Run again = Cli.run("keygen", "--out", dir.resolve("keys/signing").toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.IO);
        assertThat(again.err()).contains("never overwrites");
    }

    @Test
    void full_bundle_round_trip() throws Exception {
        Path bundle = dir.resolve("full.fcota");
        Cli.Run build = build("--image", image.toString(), "--out", bundle.toString());
        assertThat(build.exitCode()).as(build.err()).isZero();

        Cli.Run verify = Cli.run("verify", bundle.toString(), "--public-key", publicKey.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("OK FULL 2.0.0");

        BundleHeader header = BundleHeader.read(bundle);
        assertThat(header.manifest().payloadType()).isEqualTo(PayloadType.FULL);
        assertThat(header.manifest().hardwareModels()).containsExactly("tv-55", "tv-65");
        byte[] bytes = Files.readAllBytes(bundle);
        assertThat(Arrays.copyOfRange(bytes, (int) header.payloadOffset(), bytes.length))
                .isEqualTo(Files.readAllBytes(image));

        Cli.Run inspect = Cli.run("inspect", bundle.toString());
        assertThat(inspect.exitCode()).isZero();
        assertThat(inspect.out()).contains("\"version\" : \"2.0.0\"", "\"payloadType\" : \"FULL\"", "\"expires\"");
    }

    @Test
    void delta_bundle_tries_both_algorithms_and_reproduces_the_image_byte_for_byte() throws Exception {
        Path bundle = dir.resolve("delta.fcota");
        Cli.Run build = build(
                "--image",
                image.toString(),
                "--base-image",
                base.toString(),
                "--base-version",
                "1.9.0",
                "--out",
                bundle.toString());
        assertThat(build.exitCode()).as(build.err()).isZero();
        assertThat(build.out()).containsPattern("zstd-patch: \\d+ bytes").containsPattern("bsdiff: \\d+ bytes");
        assertThat(build.out()).contains("full image: 1500000 bytes").contains("chose ");

        BundleHeader header = BundleHeader.read(bundle);
        Manifest manifest = header.manifest();
        assertThat(manifest.payloadType()).isEqualTo(PayloadType.DELTA);
        assertThat(manifest.baseVersions()).containsExactly("1.9.0");
        assertThat(manifest.payloadLength()).isLessThan(Files.size(image) / 10);

        ByteArrayOutputStream applied = new ByteArrayOutputStream();
        if (manifest.deltaAlgorithm() == DeltaAlgorithm.BSDIFF) {
            Bsdiff.apply(base, bundle, header.payloadOffset(), manifest.payloadLength(), applied);
        } else {
            try (InputStream in = Files.newInputStream(bundle)) {
                in.skipNBytes(header.payloadOffset());
                ZstdPatch.apply(base, in, applied);
            }
        }
        assertThat(applied.toByteArray()).isEqualTo(Files.readAllBytes(image));

        Cli.Run verify = Cli.run(
                "verify", bundle.toString(), "--public-key", publicKey.toString(), "--base-image", base.toString());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("makes the signed image");
    }

    @Test
    void each_delta_algorithm_can_be_forced() throws Exception {
        for (String algorithm : new String[] {"bsdiff", "zstd-patch"}) {
            Path bundle = dir.resolve(algorithm + ".fcota");
            Cli.Run build = build(
                    "--image",
                    image.toString(),
                    "--base-image",
                    base.toString(),
                    "--base-version",
                    "1.9.0",
                    "--delta-algorithm",
                    algorithm,
                    "--out",
                    bundle.toString());
            assertThat(build.exitCode()).as(build.err()).isZero();
            assertThat(BundleHeader.read(bundle).manifest().deltaAlgorithm().id())
                    .isEqualTo(algorithm);
            Cli.Run verify = Cli.run(
                    "verify", bundle.toString(), "--public-key", publicKey.toString(), "--base-image", base.toString());
            assertThat(verify.exitCode()).as(verify.err()).isZero();
        }
    }

    @Test
    void verify_refuses_tampered_payload_wrong_key_and_wrong_base() throws Exception {
        Path bundle = dir.resolve("delta.fcota");
        assertThat(build(
                                "--image",
                                image.toString(),
                                "--base-image",
                                base.toString(),
                                "--base-version",
                                "1.9.0",
                                "--out",
                                bundle.toString())
                        .exitCode())
                .isZero();

        Path tampered = dir.resolve("tampered.fcota");
        byte[] bytes = Files.readAllBytes(bundle);
        bytes[bytes.length - 5] ^= 1;
        Files.write(tampered, bytes);
        Cli.Run hash = Cli.run("verify", tampered.toString(), "--public-key", publicKey.toString());
        assertThat(hash.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(hash.err()).contains("HASH_MISMATCH");

        Cli.Run otherKey = Cli.run("keygen", "--out", dir.resolve("other").toString());
        assertThat(otherKey.exitCode()).isZero();
        Cli.Run wrongKey = Cli.run(
                "verify",
                bundle.toString(),
                "--public-key",
                dir.resolve("other.pub.pem").toString());
        assertThat(wrongKey.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(wrongKey.err()).contains("BAD_SIGNATURE");

        Cli.Run wrongBase = Cli.run(
                "verify", bundle.toString(), "--public-key", publicKey.toString(), "--base-image", image.toString());
        assertThat(wrongBase.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(wrongBase.err()).contains("HASH_MISMATCH");

        Path truncated = Files.write(dir.resolve("truncated.fcota"), Arrays.copyOf(bytes, 100));
        Cli.Run cut = Cli.run("verify", truncated.toString());
        assertThat(cut.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(cut.err()).contains("MALFORMED");
    }

    @Test
    void clear_usage_errors() {
        Cli.Run noBaseVersion = build(
                "--image",
                image.toString(),
                "--base-image",
                base.toString(),
                "--out",
                dir.resolve("x").toString());
        assertThat(noBaseVersion.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBaseVersion.err()).contains("--base-image needs --base-version");

        Cli.Run badVersion = Cli.run(
                "build",
                "--key",
                key.toString(),
                "--image",
                image.toString(),
                "--version",
                "has space",
                "--model",
                "tv",
                "--anti-rollback",
                "1",
                "--out",
                dir.resolve("x").toString());
        assertThat(badVersion.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badVersion.err()).contains("version must be a token");

        Cli.Run missingImage = build(
                "--image",
                dir.resolve("nope.img").toString(),
                "--out",
                dir.resolve("x").toString());
        assertThat(missingImage.exitCode()).isEqualTo(ExitCodes.IO);
        assertThat(dir.resolve("x")).doesNotExist();
    }

    private Cli.Run build(String... args) {
        String[] common = {
            "build",
            "--key",
            key.toString(),
            "--version",
            "2.0.0",
            "--model",
            "tv-55,tv-65",
            "--anti-rollback",
            "4",
            "--zstd-level",
            "9"
        };
        String[] all = Arrays.copyOf(common, common.length + args.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return Cli.run(all);
    }

    /** Half text-like, half random, in 4 KiB blocks. */
    static byte[] imageLike(int size, long seed) {
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
                    bytes[at + i] = (byte) ('a' + random.nextInt(6));
                }
            }
        }
        return bytes;
    }
}
