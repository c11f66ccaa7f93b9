package io.fleetcast.platform.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Device keys, CSRs and mutual-TLS MQTT clients for tests, as a device in certificate mode has them. */
public final class DeviceKeys {

    private static final char[] PASSWORD = "device".toCharArray();

    private DeviceKeys() {}

    public static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public static String csr(KeyPair key, String commonName) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        }
        return out.toString();
    }

    public static List<X509Certificate> chain(String pem) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            chain.add((X509Certificate) certificate);
        }
        return chain;
    }

    /** A certificate for {@code CN=commonName} from a CA the platform has never seen. */
    public static List<X509Certificate> foreignChain(KeyPair deviceKey, String commonName) throws Exception {
        KeyPair caKey = newKey();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=Somebody else's CA");
        X509Certificate ca = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                caName,
                                BigInteger.ONE,
                                Date.from(now.minus(Duration.ofHours(1))),
                                Date.from(now.plus(Duration.ofDays(1))),
                                caName,
                                caKey.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        X509Certificate device = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(
                                caName,
                                BigInteger.TWO,
                                Date.from(now.minus(Duration.ofHours(1))),
                                Date.from(now.plus(Duration.ofDays(1))),
                                new X500Name("CN=" + commonName),
                                deviceKey.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        return List.of(device, ca);
    }

    /** Connects over the TLS listener with a client certificate and no password. */
    public static MqttAsyncClient connect(
            String clientId, KeyPair key, List<X509Certificate> chain, MqttCallback callback) throws MqttException {
        int port = ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.port", Integer.class);
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setCallback(callback);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setSocketFactory(mutualTls(key, chain).getSocketFactory());
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private static SSLContext mutualTls(KeyPair key, List<X509Certificate> chain) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("device", key.getPrivate(), PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            Path server = Path.of(ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.certificate", String.class));
            try (InputStream in = Files.newInputStream(server)) {
                trust.setCertificateEntry(
                        "gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up mutual TLS", e);
        }
    }
}
