package io.fleetcast.ota.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes bundles. The manifest carries the payload's hash, so the payload is read twice: once to hash
 * it (by the caller, {@link ContentDigest#of(Path)}), once to copy it behind the header. Both passes
 * stream; memory does not grow with the payload.
 */
public final class BundleWriter {

    private static final int BUFFER = 64 * 1024;

    private final BundleSigner signer;

    public BundleWriter(BundleSigner signer) {
        this.signer = signer;
    }

    /**
     * Signs {@code manifest}, writes the header and copies {@code payload} behind it, checking on the
     * way that the payload still has the manifest's hash and length (the file may have changed since it
     * was hashed).
     *
     * @return the header that was written
     * @throws BundleException {@link BundleErrorCode#HASH_MISMATCH} or {@link BundleErrorCode#MALFORMED}
     *     when the payload does not match the manifest; {@code out} then holds a bundle that no device
     *     accepts and the caller should delete it
     */
    public BundleHeader write(Manifest manifest, InputStream payload, OutputStream out)
            throws IOException, BundleException {
        BundleHeader header = BundleHeader.sign(manifest, signer);
        out.write(header.encode());
        PayloadCheck check = PayloadCheck.payloadOf(manifest);
        InputStream in = check.wrap(payload);
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        if (payload.read() >= 0) {
            throw new BundleException(
                    BundleErrorCode.HASH_MISMATCH,
                    "the payload is longer than the manifest's " + manifest.payloadLength());
        }
        check.finish();
        out.flush();
        return header;
    }

    /**
     * Writes a bundle file from a payload file; on failure the partial file is deleted.
     *
     * @see #write(Manifest, InputStream, OutputStream)
     */
    public BundleHeader write(Manifest manifest, Path payload, Path bundle) throws IOException, BundleException {
        boolean done = false;
        try (InputStream in = Files.newInputStream(payload);
                OutputStream out = Files.newOutputStream(bundle)) {
            BundleHeader header = write(manifest, in, out);
            done = true;
            return header;
        } finally {
            if (!done) {
                Files.deleteIfExists(bundle);
            }
        }
    }
}
