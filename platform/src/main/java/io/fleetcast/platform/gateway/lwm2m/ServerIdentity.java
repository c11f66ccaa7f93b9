package io.fleetcast.platform.gateway.lwm2m;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The server's DTLS certificate chain and private key. */
record ServerIdentity(PrivateKey key, X509Certificate[] chain) {

    /** Reads a PEM chain and a PEM key (PKCS#8 or SEC1 EC). */
    static ServerIdentity read(Path certificate, Path key) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            try (Reader in = Files.newBufferedReader(certificate);
                    PEMParser parser = new PEMParser(in)) {
                for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                    if (item instanceof X509CertificateHolder holder) {
                        chain.add(converter.getCertificate(holder));
                    }
                }
            }
            PrivateKey privateKey;
            try (Reader in = Files.newBufferedReader(key);
                    PEMParser parser = new PEMParser(in)) {
                Object item = parser.readObject();
                JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
                if (item instanceof PEMKeyPair pair) {
                    privateKey = keys.getKeyPair(pair).getPrivate();
                } else if (item instanceof PrivateKeyInfo info) {
                    privateKey = keys.getPrivateKey(info);
                } else {
                    throw new IllegalStateException("no private key in " + key);
                }
            }
            if (chain.isEmpty()) {
                throw new IllegalStateException("no certificate in " + certificate);
            }
            return new ServerIdentity(privateKey, chain.toArray(new X509Certificate[0]));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the LwM2M server certificate and key", e);
        }
    }

    /** A self-signed EC P-256 certificate for development, valid for a year. */
    static ServerIdentity selfSigned(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name,
                                    new BigInteger(64, new SecureRandom()),
                                    Date.from(now.minus(Duration.ofMinutes(5))),
                                    Date.from(now.plus(Duration.ofDays(365))),
                                    name,
                                    pair.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new ServerIdentity(pair.getPrivate(), new X509Certificate[] {certificate});
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate for the LwM2M server", e);
        }
    }
}
