package io.fleetcast.platform.certificate;

import java.io.IOException;
import java.io.StringReader;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A device's PKCS#10 request whose signature was verified, so the device holds the private key. Only
 * the public key is used: the subject of the certificate is set by the platform (CN = device id).
 */
public final class DeviceCsr {

    private static final ECParameterSpec P256 = p256();

    private final PublicKey publicKey;

    private DeviceCsr(PublicKey publicKey) {
        this.publicKey = publicKey;
    }

    /**
     * @throws InvalidCsrException when the text is not a PEM PKCS#10 request over an EC P-256 key with
     *     a valid signature
     */
    public static DeviceCsr parse(String pem) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("not a PEM certificate request");
        }
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new InvalidCsrException("not a PEM certificate request");
        }
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidCsrException("the request's public key cannot be read");
        }
        if (!isP256(key)) {
            throw new InvalidCsrException("the key must be EC P-256");
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new InvalidCsrException("the request's signature does not match its key");
            }
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw new InvalidCsrException("the request's signature cannot be verified");
        }
        return new DeviceCsr(key);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    private static boolean isP256(PublicKey key) {
        return key instanceof ECPublicKey ec
                && ec.getParams().getCurve().equals(P256.getCurve())
                && ec.getParams().getOrder().equals(P256.getOrder());
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 unavailable", e);
        }
    }

    /** A CSR that cannot be used; the message is safe to send back to the device. */
    public static final class InvalidCsrException extends RuntimeException {
        public InvalidCsrException(String message) {
            super(message, null, false, false);
        }
    }
}
