package io.fleetcast.ota.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigpipe.jbsdiff.Patch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaRoundTripTest {

    @TempDir
    Path dir;

    private Path base;
    private Path target;
    private byte[] targetBytes;

    @BeforeEach
    void images() throws IOException {
        byte[] baseBytes = TestImages.base(2_000_000, 1);
        targetBytes = TestImages.edit(baseBytes, 2);
        base = Files.write(dir.resolve("base.img"), baseBytes);
        target = Files.write(dir.resolve("target.img"), targetBytes);
    }

    @Test
    void bsdiff_patch_applied_by_streaming_reproduces_the_image_like_jbsdiff_does() throws Exception {
        Path patch = dir.resolve("patch.bsdiff");
        try (OutputStream out = Files.newOutputStream(patch)) {
            Bsdiff.diff(base, target, out);
        }
        ByteArrayOutputStream applied = new ByteArrayOutputStream();
        Bsdiff.apply(base, patch, 0, Files.size(patch), applied);

        assertThat(applied.toByteArray()).isEqualTo(targetBytes);
        ByteArrayOutputStream reference = new ByteArrayOutputStream();
        Patch.patch(Files.readAllBytes(base), Files.readAllBytes(patch), reference);
        assertThat(reference.toByteArray()).isEqualTo(targetBytes);
        assertThat(Files.size(patch)).isLessThan(targetBytes.length / 10);
    }

    @Test
    void bsdiff_patch_is_read_from_a_region_of_a_larger_file() throws Exception {
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        Bsdiff.diff(base, target, patch);
        byte[] prefix = new byte[777];
        Path bundle = dir.resolve("bundle");
        try (OutputStream out = Files.newOutputStream(bundle)) {
            out.write(prefix);
            out.write(patch.toByteArray());
            out.write(new byte[33]);
        }
        ByteArrayOutputStream applied = new ByteArrayOutputStream();
        Bsdiff.apply(base, bundle, prefix.length, patch.size(), applied);
        assertThat(applied.toByteArray()).isEqualTo(targetBytes);
    }

    @Test
    void corrupt_bsdiff_patch_fails_with_an_io_error() throws Exception {
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        Bsdiff.diff(base, target, patch);
        byte[] bytes = patch.toByteArray();
        Path truncated = Files.write(dir.resolve("truncated"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(
                        () -> Bsdiff.apply(base, truncated, 0, Files.size(truncated), OutputStream.nullOutputStream()))
                .isInstanceOf(IOException.class);
        Path garbage = Files.write(dir.resolve("garbage"), "BSDIFF41 and then nothing useful".getBytes());
        assertThatThrownBy(() -> Bsdiff.apply(base, garbage, 0, Files.size(garbage), OutputStream.nullOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("BSDIFF40");
    }

    @Test
    void zstd_patch_reproduces_the_image_and_is_small() throws Exception {
        Path patch = dir.resolve("patch.zst");
        try (OutputStream out = Files.newOutputStream(patch)) {
            ZstdPatch.encode(base, target, 19, out, ProgressListener.NONE);
        }
        ByteArrayOutputStream applied = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(patch)) {
            ZstdPatch.apply(base, in, applied);
        }
        assertThat(applied.toByteArray()).isEqualTo(targetBytes);
        assertThat(Files.size(patch)).isLessThan(targetBytes.length / 10);
    }

    @Test
    void zstd_cli_applies_our_patch() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/zstd")), "zstd is not installed");
        Path patch = dir.resolve("patch.zst");
        try (OutputStream out = Files.newOutputStream(patch)) {
            ZstdPatch.encode(base, target, 19, out, ProgressListener.NONE);
        }
        Path out = dir.resolve("out.img");
        Process process = new ProcessBuilder(
                        "zstd", "-q", "-d", "--long=31", "--patch-from=" + base, patch.toString(), "-o", out.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(targetBytes);
    }

    @Test
    void zstd_patch_against_another_base_fails() throws Exception {
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        ZstdPatch.encode(base, target, 3, patch, ProgressListener.NONE);
        Path otherBase = Files.write(dir.resolve("other.img"), TestImages.base(2_000_000, 99));
        ByteArrayOutputStream applied = new ByteArrayOutputStream();
        // The frame's checksum catches a wrong base; the image hash in the manifest is the last word.
        assertThatThrownBy(() ->
                        ZstdPatch.apply(otherBase, new java.io.ByteArrayInputStream(patch.toByteArray()), applied))
                .isInstanceOf(IOException.class);
    }

    @Test
    void window_covers_base_and_image() {
        assertThat(ZstdPatch.windowLog(1)).isEqualTo(10);
        assertThat(ZstdPatch.windowLog(1L << 20)).isEqualTo(20);
        assertThat(ZstdPatch.windowLog((1L << 20) + 1)).isEqualTo(21);
        assertThat(ZstdPatch.windowLog(5L << 30)).isEqualTo(31);
    }
}
