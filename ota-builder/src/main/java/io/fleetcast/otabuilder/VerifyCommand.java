package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.BundleErrorCode;
import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.PayloadCheck;
import io.fleetcast.ota.delta.Bsdiff;
import io.fleetcast.ota.delta.ZstdPatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a bundle: layout, signature (with --public-key), payload hash and length, nothing after it.",
            "With --base-image, also applies a delta and checks the image it makes."
        })
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The bundle file")
    Path bundle;

    @Option(names = "--public-key", description = "Trusted public key(s); without one the signature is not checked")
    List<Path> publicKeys = new ArrayList<>();

    @Option(names = "--base-image", description = "For a delta: the base image to apply it to")
    Path baseImage;

    @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal")
    boolean showProgress;

    @Override
    public Integer call() throws IOException, BundleException {
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(System.err, showProgress);
        long size = Files.size(bundle);
        BundleHeader header;
        try (InputStream in = progress.step("verifying").track(Files.newInputStream(bundle), size)) {
            header = BundleHeader.read(in);
            if (publicKeys.isEmpty()) {
                System.err.println("warning: no --public-key: the signature is NOT checked");
            } else {
                KeyFiles.trusted(publicKeys).verify(header);
            }
            PayloadCheck check = PayloadCheck.payloadOf(header.manifest());
            check.wrap(in).transferTo(OutputStream.nullOutputStream());
            check.finish();
            if (in.read() >= 0) {
                throw new BundleException(BundleErrorCode.MALFORMED, "bytes follow the payload");
            }
        } finally {
            progress.finishLine();
        }
        Manifest manifest = header.manifest();
        if (manifest.isDelta() && baseImage != null) {
            checkDeltaOutput(header, progress);
            stdout.println("delta applied to " + baseImage + " makes the signed image");
        }
        stdout.println("OK " + manifest.payloadType() + " " + manifest.version() + " signed by " + manifest.keyId()
                + (publicKeys.isEmpty() ? " (signature not checked)" : ""));
        return ExitCodes.OK;
    }

    private void checkDeltaOutput(BundleHeader header, Progress progress) throws IOException, BundleException {
        Manifest manifest = header.manifest();
        PayloadCheck image = PayloadCheck.imageOf(manifest);
        try (OutputStream sink = image.tee(OutputStream.nullOutputStream())) {
            switch (manifest.deltaAlgorithm()) {
                case BSDIFF -> Bsdiff.apply(baseImage, bundle, header.payloadOffset(), manifest.payloadLength(), sink);
                case ZSTD_PATCH -> {
                    try (InputStream in = Files.newInputStream(bundle)) {
                        in.skipNBytes(header.payloadOffset());
                        ZstdPatch.apply(baseImage, in, sink);
                    }
                }
            }
        } catch (IOException e) {
            throw new BundleException(
                    BundleErrorCode.HASH_MISMATCH, "the delta does not apply to " + baseImage + ": " + e.getMessage());
        }
        image.finish();
    }
}
