package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.BundleSigner;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;

/**
 * The key file convention: {@code <name>.key.pem} holds the private key (PKCS#8), {@code
 * <name>.pub.pem} next to it the public key. The JDK cannot derive an Ed25519 public key from the
 * private one, and the key id is computed from the public key, so signing needs both.
 */
final class KeyFiles {

    static final String PRIVATE_SUFFIX = ".key.pem";
    static final String PUBLIC_SUFFIX = ".pub.pem";

    private KeyFiles() {}

    /** The public key file that belongs to {@code privateKeyFile}. */
    static Path publicKeyFor(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        String stem = name.endsWith(PRIVATE_SUFFIX)
                ? name.substring(0, name.length() - PRIVATE_SUFFIX.length())
                : name.replaceFirst("\\.pem$", "");
        return privateKeyFile.resolveSibling(stem + PUBLIC_SUFFIX);
    }

    /** A signer from a private key file and its public key (given, or found by the convention). */
    static BundleSigner signer(Path privateKeyFile, Path publicKeyFile) throws IOException {
        Path publicFile = publicKeyFile != null ? publicKeyFile : publicKeyFor(privateKeyFile);
        if (!Files.exists(publicFile)) {
            throw new CommandFailure(
                    ExitCodes.USAGE,
                    "no public key " + publicFile + " next to the private key; pass it with --public-key");
        }
        PrivateKey privateKey = read(privateKeyFile, true);
        PublicKey publicKey = (PublicKey) read(publicFile, false);
        BundleSigner signer = new BundleSigner(privateKey, publicKey);
        // A signature the matching public key rejects would only be found on the devices.
        byte[] probe = "fleetcast key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            TrustedKeys.of(publicKey).verify(probe, signer.sign(probe), signer.keyId());
        } catch (io.fleetcast.ota.bundle.BundleException e) {
            throw new CommandFailure(ExitCodes.USAGE, publicFile + " is not the public key of " + privateKeyFile);
        }
        return signer;
    }

    static TrustedKeys trusted(List<Path> publicKeyFiles) throws IOException {
        try {
            return TrustedKeys.load(publicKeyFiles);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.USAGE, "cannot read public key: " + e.getMessage());
        }
    }

    private static <T> T read(Path file, boolean isPrivate) throws IOException {
        try {
            @SuppressWarnings("unchecked")
            T key = (T) (isPrivate ? Keys.readPrivateKey(file) : Keys.readPublicKey(file));
            return key;
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, file + ": " + e.getMessage());
        }
    }
}
