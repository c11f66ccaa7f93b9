package io.fleetcast.platform.certificate;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.jboss.logging.Logger;

/**
 * What the TLS listener trusts in client certificates: the CAs of all tenants, held in memory because
 * the handshake runs on an event loop and must not wait for the database. A CA created on this node is
 * added at once; the full set is reloaded periodically for CAs created on other nodes.
 *
 * <p>Only the chain is checked here (signature, validity, key usage). Whether the certificate is
 * revoked, whose device it is and whether it belongs to the device's own tenant is decided at CONNECT,
 * against the database. A singleton without a client proxy, because the TLS engine holds it.
 */
@Singleton
public class TenantTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = Logger.getLogger(TenantTrustManager.class);
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    @Inject
    TenantCas cas;

    @Inject
    CertificateConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Vertx vertx;

    /** Keyed by the DER of the certificate's subject: one CA per tenant, each with its own name. */
    private final Map<X500Principal, X509Certificate> trusted = new ConcurrentHashMap<>();

    /** Rebuilt whenever {@link #trusted} changes; null while no tenant has a CA. */
    private volatile X509TrustManager delegate;

    void onStart(@Observes StartupEvent event) {
        refresh();
        vertx.setPeriodic(config.trustRefreshSeconds() * 1000L, id -> refresh());
    }

    private void refresh() {
        cas.allCertificates()
                .subscribe()
                .with(this::addAll, failure -> LOG.warnf("Cannot reload the tenant CAs: %s", failure.getMessage()));
    }

    void add(X509Certificate ca) {
        addAll(List.of(ca));
    }

    private synchronized void addAll(List<X509Certificate> cas) {
        boolean changed = false;
        for (X509Certificate ca : cas) {
            changed |= trusted.putIfAbsent(ca.getSubjectX500Principal(), ca) == null;
        }
        if (changed) {
            delegate = build(trusted.values());
        }
    }

    private static X509TrustManager build(Iterable<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : cas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the tenant trust", e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, authType);
    }

    private void check(X509Certificate[] chain, String authType) throws CertificateException {
        X509TrustManager current = delegate;
        try {
            if (current == null) {
                throw new CertificateException("no tenant CA exists yet");
            }
            current.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            String reason = reason(e);
            metrics.counter("fleetcast.mqtt.auth.failures", "reason", reason).increment();
            LOG.infof(
                    "TLS handshake refused deviceId=%s reason=%s detail=%s",
                    chain.length == 0 ? "?" : Subjects.commonName(chain[0]), reason, e.getMessage());
            throw e;
        }
    }

    /** Expired and untrusted look the same to the TLS peer; the log and metrics tell them apart. */
    private static String reason(CertificateException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return "certificate_expired";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "certificate_not_yet_valid";
            }
        }
        return "certificate_untrusted";
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the device trust verifies clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the device trust verifies clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the device trust verifies clients only");
    }

    /**
     * None: the server's certificate request would otherwise name every tenant's CA, a message that grows
     * with the number of tenants. Devices hold one certificate and send it anyway.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
