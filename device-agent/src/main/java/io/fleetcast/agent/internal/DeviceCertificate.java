package io.fleetcast.agent.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The device's key and the certificate chain the platform issued for it (device certificate first,
 * then the tenant CA). The key was generated on the device and never left it.
 */
record DeviceCertificate(PrivateKey key, List<X509Certificate> chain) {

    DeviceCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    /** @param chainPem as the platform sends it */
    static DeviceCertificate of(PrivateKey key, String chainPem) {
        return new DeviceCertificate(key, parseChain(chainPem));
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    Instant notBefore() {
        return certificate().getNotBefore().toInstant();
    }

    Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    String serial() {
        return certificate().getSerialNumber().toString(16);
    }

    /** The file form: the PKCS#8 key in Base64 and the chain in PEM. */
    record Stored(String key, String chain) {}

    Stored toStored() {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot encode a certificate", e);
            }
        }
        return new Stored(Base64.getEncoder().encodeToString(key.getEncoded()), pem.toString());
    }

    static DeviceCertificate fromStored(Stored stored) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored.key())));
            return of(key, stored.chain());
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a stored device certificate: " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> parseChain(String pem) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) certificate);
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    /** Leaves out the key, so the certificate can be logged. */
    @Override
    public String toString() {
        return "DeviceCertificate[serial=" + serial() + ", notAfter=" + notAfter() + "]";
    }
}
