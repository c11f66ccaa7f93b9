package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleSigner;
import io.fleetcast.ota.bundle.BundleWriter;
import io.fleetcast.ota.bundle.ContentDigest;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.ManifestCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Builds a signed bundle: a full image, or with --base-image a delta against the base.",
            "Full bundles stream (memory does not grow with the image). Deltas try zstd patch-from and bsdiff,"
                    + " keep the smaller and print both sizes; see docs/ota-builder.md for their memory needs."
        })
final class BuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, description = "Private key file (<name>.key.pem)")
    Path key;

    @Option(names = "--public-key", description = "Its public key; default: <name>.pub.pem next to --key")
    Path publicKey;

    @Option(names = "--image", required = true, description = "The new full image")
    Path image;

    @Option(names = "--version", required = true, description = "Version the bundle installs")
    String version;

    @Option(names = "--model", required = true, split = ",", description = "Hardware model(s) it is for")
    List<String> models;

    @Option(names = "--anti-rollback", required = true, description = "Anti-rollback counter (≥ 0)")
    long antiRollback;

    @Option(names = "--base-image", description = "Build a delta against this image")
    Path baseImage;

    @Option(names = "--base-version", description = "Version of --base-image (required with it)")
    String baseVersion;

    @Option(
            names = "--allow-base",
            split = ",",
            description = "Full bundles only: installed versions it may replace (default: any)")
    List<String> allowedBases = new ArrayList<>();

    @Option(
            names = "--delta-algorithm",
            defaultValue = "auto",
            description = "auto (try both, keep the smaller), bsdiff or zstd-patch. Default: ${DEFAULT-VALUE}")
    String deltaAlgorithm;

    @Option(
            names = "--zstd-level",
            defaultValue = "19",
            description = "zstd level for deltas, 1..22. Default: ${DEFAULT-VALUE}")
    int zstdLevel;

    @Option(
            names = "--bsdiff-max-size",
            defaultValue = "256m",
            description =
                    "Skip bsdiff above this image size (it needs ~9x the base in heap). Default: ${DEFAULT-VALUE}")
    String bsdiffMaxSize;

    @Option(
            names = "--expires-in",
            defaultValue = "365d",
            description = "Validity, e.g. 90d, 12h, or ISO PT36H. Default: ${DEFAULT-VALUE}")
    String expiresIn;

    @Option(names = "--out", required = true, description = "The bundle file to write")
    Path out;

    @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal")
    boolean showProgress;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException, BundleException {
        checkOptions();
        BundleSigner signer = KeyFiles.signer(key, publicKey);
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(System.err, showProgress);
        long imageSize = Files.size(image);
        ContentDigest imageDigest;
        try (InputStream in = progress.step("hashing image").track(Files.newInputStream(image), imageSize)) {
            imageDigest = ContentDigest.of(in);
        }
        progress.finishLine();
        Instant now = clock.instant();
        Manifest.Builder manifest = Manifest.builder()
                .version(version)
                .hardwareModels(models)
                .antiRollback(antiRollback)
                .createdAt(now)
                .expiresAt(now.plus(parseDuration(expiresIn)))
                .keyId(signer.keyId());
        Path work = out.toAbsolutePath().getParent();
        Files.createDirectories(work);
        if (baseImage == null) {
            manifest.fullImage(imageDigest).baseVersions(allowedBases);
            BundleHeader header = write(signer, manifest.build(), image, progress);
            stdout.println("full bundle " + out + ": " + Files.size(out) + " bytes (payload " + imageSize + ")");
            printManifest(stdout, header);
            return ExitCodes.OK;
        }
        DeltaMaker maker = new DeltaMaker(work, algorithms(), zstdLevel, parseSize(bsdiffMaxSize), progress);
        DeltaMaker.Result delta = maker.make(baseImage, image, imageDigest);
        try {
            for (DeltaMaker.Candidate candidate : delta.candidates()) {
                stdout.println(candidate.algorithm().id() + ": "
                        + (candidate.made() ? candidate.size() + " bytes" : "skipped (" + candidate.skipped() + ")"));
            }
            stdout.println("full image: " + imageSize + " bytes");
            DeltaMaker.Candidate chosen = delta.chosen();
            stdout.println("chose " + chosen.algorithm().id() + " (" + chosen.size() + " bytes)");
            if (chosen.size() >= imageSize) {
                System.err.println("warning: the delta is not smaller than the full image");
            }
            manifest.delta(chosen.algorithm(), baseVersion, ContentDigest.of(chosen.patch()), imageDigest);
            BundleHeader header = write(signer, manifest.build(), chosen.patch(), progress);
            stdout.println("delta bundle " + out + ": " + Files.size(out) + " bytes");
            printManifest(stdout, header);
        } finally {
            DeltaMaker.cleanUp(delta);
        }
        return ExitCodes.OK;
    }

    private BundleHeader write(BundleSigner signer, Manifest manifest, Path payload, Progress progress)
            throws IOException, BundleException {
        // Written next to the target and renamed: a failed build never leaves a half bundle under the name.
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        boolean done = false;
        try (InputStream in =
                        progress.step("writing bundle").track(Files.newInputStream(payload), manifest.payloadLength());
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
            BundleHeader header = new BundleWriter(signer).write(manifest, in, file);
            done = true;
            return header;
        } finally {
            progress.finishLine();
            if (done) {
                Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(partial);
            }
        }
    }

    private void printManifest(PrintWriter stdout, BundleHeader header) {
        stdout.println(new String(ManifestCodec.encode(header.manifest()), StandardCharsets.UTF_8));
    }

    private void checkOptions() {
        if (baseImage != null && baseVersion == null) {
            throw new CommandFailure(ExitCodes.USAGE, "--base-image needs --base-version");
        }
        if (baseImage == null && baseVersion != null) {
            throw new CommandFailure(ExitCodes.USAGE, "--base-version needs --base-image");
        }
        if (baseImage != null && !allowedBases.isEmpty()) {
            throw new CommandFailure(
                    ExitCodes.USAGE, "--allow-base is for full bundles; a delta applies to --base-version only");
        }
        if (zstdLevel < 1 || zstdLevel > 22) {
            throw new CommandFailure(ExitCodes.USAGE, "--zstd-level must be 1..22");
        }
        if (antiRollback < 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--anti-rollback must not be negative");
        }
        for (Path file : baseImage == null ? List.of(image) : List.of(image, baseImage)) {
            if (!Files.isRegularFile(file)) {
                throw new CommandFailure(ExitCodes.IO, file + " is not a readable file");
            }
        }
        try {
            Manifest.builder()
                    .version(version)
                    .hardwareModels(models)
                    .baseVersions(baseImage == null ? allowedBases : List.of(baseVersion))
                    .fullImage(new ContentDigest("0".repeat(64), 0))
                    .createdAt(Instant.EPOCH)
                    .expiresAt(Instant.EPOCH)
                    .keyId("check")
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
    }

    private Set<DeltaAlgorithm> algorithms() {
        if (deltaAlgorithm.equals("auto")) {
            return EnumSet.allOf(DeltaAlgorithm.class);
        }
        DeltaAlgorithm only = DeltaAlgorithm.fromId(deltaAlgorithm);
        if (only == null) {
            throw new CommandFailure(ExitCodes.USAGE, "--delta-algorithm must be auto, bsdiff or zstd-patch");
        }
        return EnumSet.of(only);
    }

    static Duration parseDuration(String text) {
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (Character.toLowerCase(text.charAt(text.length() - 1))) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new CommandFailure(ExitCodes.USAGE, "not a duration: " + text + " (e.g. 90d, 12h, PT36H)");
        }
    }

    static long parseSize(String text) {
        try {
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            char unit = lower.charAt(lower.length() - 1);
            int shift =
                    switch (unit) {
                        case 'k' -> 10;
                        case 'm' -> 20;
                        case 'g' -> 30;
                        default -> 0;
                    };
            String number = shift == 0 ? lower : lower.substring(0, lower.length() - 1);
            return Long.parseLong(number) << shift;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new CommandFailure(ExitCodes.USAGE, "not a size: " + text + " (e.g. 256m, 1g)");
        }
    }
}
