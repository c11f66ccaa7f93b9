package io.fleetcast.platform.certificate;

import io.fleetcast.platform.security.SecretHasher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The tenants' CAs: created on first need, kept in {@code tenant_cas} with the private key encrypted,
 * and cached decrypted in memory (one entry per tenant that issued a certificate on this node; tenants
 * are manufacturers, a few hundred at most).
 */
@ApplicationScoped
class TenantCas {

    private static final Logger LOG = Logger.getLogger(TenantCas.class);

    @Inject
    Pool pool;

    @Inject
    SecretHasher hasher;

    @Inject
    TenantTrustManager trust;

    private final CertificateIssuer issuer = new CertificateIssuer();

    /** Memoized per tenant, so concurrent first requests of a tenant load or create its CA once. */
    private final Map<String, Uni<TenantCa>> cache = new ConcurrentHashMap<>();

    private volatile KeyEncryption encryption;

    CertificateIssuer issuer() {
        return issuer;
    }

    /** The tenant's CA, created when the tenant has none yet. */
    Uni<TenantCa> of(String tenantId) {
        return cache.computeIfAbsent(tenantId, id -> loadOrCreate(id)
                .onFailure()
                .invoke(failure -> cache.remove(id))
                .memoize()
                .indefinitely());
    }

    /** Every tenant's CA certificate, for the TLS listener's trust. */
    Uni<List<X509Certificate>> allCertificates() {
        return pool.query("SELECT certificate FROM tenant_cas").execute().map(rows -> {
            List<X509Certificate> certificates = new ArrayList<>(rows.size());
            rows.forEach(row -> certificates.add(parse(row.getString("certificate"))));
            return certificates;
        });
    }

    private Uni<TenantCa> loadOrCreate(String tenantId) {
        return select(tenantId)
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(open(rows.iterator().next()))
                        : create(tenantId));
    }

    /** The first node to create a tenant's CA wins; a concurrent loser reads the winner's row. */
    private Uni<TenantCa> create(String tenantId) {
        TenantCa ca = issuer.createCa(tenantId, Instant.now());
        KeyEncryption.Sealed sealed = encryption().seal(tenantId, ca.key());
        return pool.preparedQuery("INSERT INTO tenant_cas (tenant_id, certificate, key_nonce, key_ciphertext)"
                        + " VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO NOTHING")
                .execute(Tuple.of(
                        tenantId,
                        Pem.certificate(ca.certificate()),
                        Buffer.buffer(sealed.nonce()),
                        Buffer.buffer(sealed.ciphertext())))
                .chain(inserted -> {
                    if (inserted.rowCount() == 1) {
                        LOG.infof("Created the device CA of tenantId=%s", tenantId);
                    }
                    return select(tenantId);
                })
                .map(rows -> open(rows.iterator().next()));
    }

    private Uni<RowSet<Row>> select(String tenantId) {
        return pool.preparedQuery(
                        "SELECT tenant_id, certificate, key_nonce, key_ciphertext FROM tenant_cas WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId));
    }

    private TenantCa open(Row row) {
        String tenantId = row.getString("tenant_id");
        X509Certificate certificate = parse(row.getString("certificate"));
        TenantCa ca = new TenantCa(
                tenantId,
                certificate,
                encryption()
                        .open(
                                tenantId,
                                row.getBuffer("key_nonce").getBytes(),
                                row.getBuffer("key_ciphertext").getBytes()));
        // Devices of this tenant may connect as soon as their first certificate is out.
        trust.add(certificate);
        return ca;
    }

    /** Made on first use: the server key is ready only after startup. */
    private KeyEncryption encryption() {
        KeyEncryption current = encryption;
        if (current == null) {
            current = new KeyEncryption(hasher);
            encryption = current;
        }
        return current;
    }

    static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException("a stored CA certificate cannot be read", e);
        }
    }
}
