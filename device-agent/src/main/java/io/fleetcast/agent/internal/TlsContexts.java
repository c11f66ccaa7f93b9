package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS for {@code ssl://} connections: the configured server trust, and the device certificate if any. */
final class TlsContexts {

    /** Protects only the in-memory key store; the key itself lives in the state directory. */
    private static final char[] IN_MEMORY = "fleetcast".toCharArray();

    private TlsContexts() {}

    /**
     * @param client the device's key and chain for mutual TLS, or null
     * @return null when Paho's defaults do (plain TCP, or TLS with the JVM's trust and no certificate)
     */
    static SSLSocketFactory socketFactory(AgentConfig config, DeviceCertificate client) {
        if (!config.serverUri().startsWith("ssl://")
                || (client == null && config.tlsTrust().isEmpty())) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (config.tlsTrust().isPresent()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                try (InputStream in = Files.newInputStream(config.tlsTrust().get())) {
                    int i = 0;
                    for (Certificate certificate :
                            CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trusted.setCertificateEntry("server-" + i++, certificate);
                    }
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
            }
            KeyManagerFactory keys = null;
            if (client != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(
                        "device", client.key(), IN_MEMORY, client.chain().toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, IN_MEMORY);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
