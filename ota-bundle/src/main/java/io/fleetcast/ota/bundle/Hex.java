package io.fleetcast.ota.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Lowercase hex, the only spelling of a hash the manifest accepts. */
final class Hex {

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {}

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(e);
        }
    }

    static String of(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }
}
