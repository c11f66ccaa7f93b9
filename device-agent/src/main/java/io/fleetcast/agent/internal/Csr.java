package io.fleetcast.agent.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * EC P-256 keys and PKCS#10 certificate requests (RFC 2986), encoded by hand: a request has five fixed
 * DER structures, and a crypto library for them would triple the size of the agent's jar. The platform
 * takes only the public key from a request; the subject names the device for people reading it.
 */
final class Csr {

    /** 1.2.840.10045.4.3.2 ecdsa-with-SHA256, DER-encoded OID. */
    private static final byte[] ECDSA_WITH_SHA256 = {
        0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02
    };

    /** 2.5.4.3 commonName, DER-encoded OID. */
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

    private Csr() {}

    static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 unavailable", e);
        }
    }

    /** A PEM PKCS#10 request for {@code CN=commonName}, signed with the key's private half. */
    static String pem(KeyPair key, String commonName) {
        byte[] subject = sequence(set(sequence(COMMON_NAME, tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] info = sequence(
                new byte[] {0x02, 0x01, 0x00}, // version 0
                subject,
                key.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
                new byte[] {(byte) 0xA0, 0x00}); // no attributes
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate());
            signer.update(info);
            signature = signer.sign(); // DER ECDSA-Sig-Value
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate request", e);
        }
        byte[] bitString = new byte[signature.length + 1]; // leading 0: no unused bits
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        byte[] request = sequence(info, sequence(ECDSA_WITH_SHA256), tlv(0x03, bitString));
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Tag, DER length (short or long form), value. */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length <= 0xFF) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
