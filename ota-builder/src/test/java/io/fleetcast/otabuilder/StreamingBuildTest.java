package io.fleetcast.otabuilder;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleVerifier;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.TrustedKeys;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full bundle of an image twice the heap's size builds in a JVM with a 64 MiB heap. */
class StreamingBuildTest {

    private static final long IMAGE_SIZE = 160L << 20;

    @TempDir
    Path dir;

    @Test
    void full_bundle_of_a_160_mib_image_builds_with_a_64_mib_heap() throws Exception {
        Path image = dir.resolve("big.img");
        try (OutputStream out = Files.newOutputStream(image)) {
            byte[] block = new byte[1 << 20];
            Random random = new Random(7);
            for (long written = 0; written < IMAGE_SIZE; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        assertThat(Cli.run("keygen", "--out", dir.resolve("k").toString()).exitCode())
                .isZero();
        Path bundle = dir.resolve("big.fcota");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "build",
                        "--key",
                        dir.resolve("k.key.pem").toString(),
                        "--image",
                        image.toString(),
                        "--version",
                        "3.0.0",
                        "--model",
                        "tv-55",
                        "--anti-rollback",
                        "1",
                        "--out",
                        bundle.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        TrustedKeys keys = TrustedKeys.of(List.of(Keys.readPublicKey(dir.resolve("k.pub.pem"))));
        BundleHeader header = new BundleVerifier(keys).verify(bundle);
        assertThat(header.manifest().payloadLength()).isEqualTo(IMAGE_SIZE);
    }
}
