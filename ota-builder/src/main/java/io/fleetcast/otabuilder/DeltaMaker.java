package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.ContentDigest;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.delta.Bsdiff;
import io.fleetcast.ota.delta.ZstdPatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Makes a delta with every allowed algorithm, keeps the smallest, and checks that it really turns
 * the base into the image before anyone signs it.
 */
final class DeltaMaker {

    /** One algorithm's patch (in a temporary file), or why it was not made. */
    record Candidate(DeltaAlgorithm algorithm, Path patch, long size, String skipped) {
        boolean made() {
            return skipped == null;
        }
    }

    /** All candidates, and the chosen one (the smallest made). */
    record Result(Candidate chosen, List<Candidate> candidates) {}

    private final Path workDir;
    private final Set<DeltaAlgorithm> algorithms;
    private final int zstdLevel;
    private final long bsdiffMaxSize;
    private final Progress progress;

    DeltaMaker(Path workDir, Set<DeltaAlgorithm> algorithms, int zstdLevel, long bsdiffMaxSize, Progress progress) {
        this.workDir = workDir;
        this.algorithms = algorithms;
        this.zstdLevel = zstdLevel;
        this.bsdiffMaxSize = bsdiffMaxSize;
        this.progress = progress;
    }

    Result make(Path base, Path image, ContentDigest imageDigest) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        if (algorithms.contains(DeltaAlgorithm.ZSTD_PATCH)) {
            candidates.add(zstd(base, image));
        }
        if (algorithms.contains(DeltaAlgorithm.BSDIFF)) {
            candidates.add(bsdiff(base, image));
        }
        Candidate chosen = candidates.stream()
                .filter(Candidate::made)
                .min(Comparator.comparingLong(Candidate::size))
                .orElseThrow(() -> new CommandFailure(
                        ExitCodes.USAGE,
                        "no delta could be made: "
                                + candidates.stream()
                                        .map(c -> c.algorithm().id() + ": " + c.skipped())
                                        .toList()));
        progress.step("checking the " + chosen.algorithm().id() + " delta");
        String produced = applyAndHash(chosen, base);
        progress.finishLine();
        if (!produced.equals(imageDigest.sha256())) {
            throw new IOException("the " + chosen.algorithm().id()
                    + " delta does not reproduce the image (a bug in the delta encoder); not signing it");
        }
        return new Result(chosen, candidates);
    }

    private Candidate zstd(Path base, Path image) throws IOException {
        if (Files.size(base) > ZstdPatch.MAX_IMAGE_SIZE || Files.size(image) > ZstdPatch.MAX_IMAGE_SIZE) {
            return new Candidate(DeltaAlgorithm.ZSTD_PATCH, null, -1, "images of 2 GiB and more");
        }
        Path patch = Files.createTempFile(workDir, "delta-", ".zst");
        try (OutputStream out = Files.newOutputStream(patch)) {
            ZstdPatch.encode(base, image, zstdLevel, out, progress.step("zstd patch"));
        }
        progress.finishLine();
        return new Candidate(DeltaAlgorithm.ZSTD_PATCH, patch, Files.size(patch), null);
    }

    private Candidate bsdiff(Path base, Path image) throws IOException {
        long baseSize = Files.size(base);
        long imageSize = Files.size(image);
        if (Math.max(baseSize, imageSize) > bsdiffMaxSize) {
            return new Candidate(
                    DeltaAlgorithm.BSDIFF, null, -1, "images above --bsdiff-max-size (" + bsdiffMaxSize + " bytes)");
        }
        long heap = Bsdiff.heapToDiff(baseSize, imageSize);
        long available = Runtime.getRuntime().maxMemory();
        if (heap > available) {
            return new Candidate(
                    DeltaAlgorithm.BSDIFF,
                    null,
                    -1,
                    "needs about " + (heap >> 20) + " MiB of heap, the JVM has " + (available >> 20)
                            + " MiB (raise -Xmx)");
        }
        Path patch = Files.createTempFile(workDir, "delta-", ".bsdiff");
        System.err.println("bsdiff: sorting " + (baseSize >> 20) + " MiB (no progress for this step)");
        try (OutputStream out = Files.newOutputStream(patch)) {
            Bsdiff.diff(base, image, out);
        } catch (IOException e) {
            Files.deleteIfExists(patch);
            return new Candidate(DeltaAlgorithm.BSDIFF, null, -1, e.getMessage());
        }
        return new Candidate(DeltaAlgorithm.BSDIFF, patch, Files.size(patch), null);
    }

    private static String applyAndHash(Candidate candidate, Path base) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            if (candidate.algorithm() == DeltaAlgorithm.BSDIFF) {
                Bsdiff.apply(base, candidate.patch(), 0, candidate.size(), sink);
            } else {
                try (InputStream patch = Files.newInputStream(candidate.patch())) {
                    ZstdPatch.apply(base, patch, sink);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Deletes the temporary patch files. */
    static void cleanUp(Result result) {
        for (Candidate candidate : result.candidates()) {
            if (candidate.patch() != null) {
                try {
                    Files.deleteIfExists(candidate.patch());
                } catch (IOException ignored) {
                    // a leftover temporary file is not worth failing a finished build
                }
            }
        }
    }
}
