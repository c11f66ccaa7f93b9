package io.fleetcast.ota.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public keys a verifier accepts, by key id. Several keys may be trusted at once so a signing key
 * can be rotated: devices trust old and new until every bundle is signed with the new one.
 */
public final class TrustedKeys {

    private final Map<String, PublicKey> byId;

    private TrustedKeys(Map<String, PublicKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** Trusts each key under its derived id ({@link Keys#keyId}). */
    public static TrustedKeys of(Collection<PublicKey> keys) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (PublicKey key : keys) {
            byId.put(Keys.keyId(key), key);
        }
        return new TrustedKeys(byId);
    }

    public static TrustedKeys of(PublicKey... keys) {
        return of(List.of(keys));
    }

    /** Reads PEM public key files ({@link Keys#readPublicKey}). */
    public static TrustedKeys load(Collection<Path> files) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files) {
            try {
                keys.add(Keys.readPublicKey(file));
            } catch (IllegalArgumentException e) {
                throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return of(keys);
    }

    public Set<String> keyIds() {
        return byId.keySet();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /**
     * Checks the header's signature over its manifest bytes.
     *
     * @throws BundleException {@link BundleErrorCode#BAD_SIGNATURE} when the key id is not trusted or
     *     the signature does not verify
     */
    public void verify(BundleHeader header) throws BundleException {
        verify(header.manifestBytes(), header.signature(), header.manifest().keyId());
    }

    /** Checks {@code signature} over {@code manifestBytes} with the trusted key {@code keyId}. */
    public void verify(byte[] manifestBytes, byte[] signature, String keyId) throws BundleException {
        PublicKey key = byId.get(keyId);
        if (key == null) {
            throw new BundleException(
                    BundleErrorCode.BAD_SIGNATURE,
                    "the manifest is signed with key " + keyId + ", which is not trusted");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(Keys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(manifestBytes);
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new BundleException(
                    BundleErrorCode.BAD_SIGNATURE, "the manifest's signature does not verify with key " + keyId);
        }
    }
}
