package io.fleetcast.platform.certificate;

import io.fleetcast.platform.security.SecretHasher;
import io.fleetcast.platform.security.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts tenant CA private keys for the database with AES-256-GCM under a sub-key of the server key.
 * The tenant id is authenticated with the ciphertext, so a key row moved to another tenant fails to
 * decrypt instead of signing for it.
 */
final class KeyEncryption {

    static final String PURPOSE = "tenant-ca-key-encryption-v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    KeyEncryption(SecretHasher hasher) {
        this.key = new SecretKeySpec(hasher.deriveKey(PURPOSE), "AES");
    }

    /** Nonce and ciphertext of the key's PKCS#8 encoding. */
    record Sealed(byte[] nonce, byte[] ciphertext) {}

    Sealed seal(String tenantId, PrivateKey privateKey) {
        byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, tenantId, nonce);
            return new Sealed(nonce, cipher.doFinal(privateKey.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the CA key of tenant " + tenantId, e);
        }
    }

    PrivateKey open(String tenantId, byte[] nonce, byte[] ciphertext) {
        try {
            byte[] pkcs8 = cipher(Cipher.DECRYPT_MODE, tenantId, nonce).doFinal(ciphertext);
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            // A changed server key (fleetcast.security.secret-hash-key) lands here too.
            throw new IllegalStateException("cannot decrypt the CA key of tenant " + tenantId, e);
        }
    }

    private Cipher cipher(int mode, String tenantId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
