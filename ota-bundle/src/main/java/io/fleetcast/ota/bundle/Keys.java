package io.fleetcast.ota.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signing keys and their files: PEM, private keys as PKCS#8 ({@code PRIVATE KEY}), public keys
 * as X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}), the same files {@code openssl genpkey -algorithm
 * ed25519} and {@code openssl pkey -pubout} write.
 */
public final class Keys {

    public static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private Keys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (Java 15 or later is required)", e);
        }
    }

    /**
     * The key id: the first 16 lowercase hex digits of the SHA-256 of the key's X.509
     * SubjectPublicKeyInfo (DER). Derived from the key, so it cannot name the wrong key by mistake.
     */
    public static String keyId(PublicKey key) {
        return Hex.of(Hex.newSha256().digest(key.getEncoded())).substring(0, 16);
    }

    public static String toPem(PrivateKey key) {
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    public static String toPem(PublicKey key) {
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException when the text is not a PEM Ed25519 private key */
    public static PrivateKey parsePrivateKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(pem, PRIVATE_LABEL)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a PEM Ed25519 public key */
    public static PublicKey parsePublicKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(pem, PUBLIC_LABEL)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] der(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + label + " block is not base64", e);
        }
    }
}
