package io.fleetcast.ota.bundle;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/** Signs manifests with one Ed25519 private key; the key id goes into every manifest it signs. */
public final class BundleSigner {

    private final PrivateKey privateKey;
    private final String keyId;

    /**
     * @param privateKey an Ed25519 private key
     * @param publicKey its public key, which names it ({@link Keys#keyId})
     */
    public BundleSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.keyId = Keys.keyId(publicKey);
        if (!Keys.ALGORITHM.equalsIgnoreCase(privateKey.getAlgorithm())
                && !"EdDSA".equalsIgnoreCase(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("bundles are signed with Ed25519, not " + privateKey.getAlgorithm());
        }
    }

    public String keyId() {
        return keyId;
    }

    /** The Ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance(Keys.ALGORITHM);
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the key " + keyId, e);
        }
    }
}
