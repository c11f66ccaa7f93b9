package io.fleetcast.ota.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * SHA-256 and length of some content, computed while streaming it.
 *
 * @param sha256 lowercase hex
 * @param length bytes
 */
public record ContentDigest(String sha256, long length) {

    private static final int BUFFER = 64 * 1024;

    public static ContentDigest of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** Reads {@code in} to its end. */
    public static ContentDigest of(InputStream in) throws IOException {
        MessageDigest digest = Hex.newSha256();
        byte[] buffer = new byte[BUFFER];
        long length = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            length += n;
        }
        return new ContentDigest(Hex.of(digest.digest()), length);
    }

    public static ContentDigest of(byte[] content) {
        return new ContentDigest(Hex.of(Hex.newSha256().digest(content)), content.length);
    }
}
