package io.fleetcast.ota.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Verifies a whole bundle in one pass: header, signature, payload hash and length, and that nothing
 * follows the payload. What the platform runs on upload and {@code ota-builder verify} runs on a file.
 * Device checks (model, base version, anti-rollback, expiry) are {@link ManifestValidator}'s.
 */
public final class BundleVerifier {

    private static final int BUFFER = 64 * 1024;

    private final TrustedKeys keys;

    public BundleVerifier(TrustedKeys keys) {
        this.keys = keys;
    }

    /**
     * Reads {@code in} to its end.
     *
     * @return the verified header
     * @throws BundleException with the first problem found
     */
    public BundleHeader verify(InputStream in) throws IOException, BundleException {
        BundleHeader header = BundleHeader.read(in);
        keys.verify(header);
        PayloadCheck check = PayloadCheck.payloadOf(header.manifest());
        InputStream payload = check.wrap(in);
        byte[] buffer = new byte[BUFFER];
        while (payload.read(buffer) >= 0) {
            // the check hashes as it reads
        }
        check.finish();
        if (in.read() >= 0) {
            throw new BundleException(
                    BundleErrorCode.MALFORMED,
                    "bytes follow the payload: the bundle is longer than its manifest says (" + header.bundleLength()
                            + ")");
        }
        return header;
    }

    public BundleHeader verify(Path bundle) throws IOException, BundleException {
        try (InputStream in = Files.newInputStream(bundle)) {
            return verify(in);
        }
    }
}
