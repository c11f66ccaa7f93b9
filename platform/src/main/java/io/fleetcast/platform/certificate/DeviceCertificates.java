package io.fleetcast.platform.certificate;

import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.device.DeviceSessions;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.protocol.CertificateError;
import io.fleetcast.protocol.CertificateResponse;
import io.fleetcast.protocol.DisconnectReason;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Issues, lists and revokes device certificates. A certificate is signed in memory by the tenant's CA
 * and stored with one statement; provisioning pays that statement only for devices that sent a CSR,
 * after its group-committed batch (see docs/decisions/0004).
 */
@ApplicationScoped
public class DeviceCertificates {

    private static final Logger LOG = Logger.getLogger(DeviceCertificates.class);

    /** Most certificates the API lists for one device, newest first. */
    private static final int MAX_LISTED = 100;

    private static final String COLUMNS = "serial, not_before, not_after, revoked_at, fingerprint";

    @Inject
    Pool pool;

    @Inject
    TenantCas cas;

    @Inject
    AuditLog audit;

    @Inject
    CertificateConfig config;

    @Inject
    DeviceSessions sessions;

    /**
     * The certificate of a device that has just been provisioned. A provisioning retry after a lost
     * answer gives the device a new credential, so the certificates issued before it are revoked in the
     * same statement, as the old credential stops working.
     *
     * @return the PEM chain
     */
    public Uni<String> issueAtProvisioning(String tenantId, UUID deviceId, DeviceCsr csr) {
        Instant now = Instant.now();
        return cas.of(tenantId).chain(ca -> {
            IssuedCertificate issued = cas.issuer()
                    .issue(
                            ca,
                            deviceId.toString(),
                            csr.publicKey(),
                            now.minus(CertificateIssuer.BACKDATE),
                            now.plus(lifetime()));
            return pool.withTransaction(connection -> connection
                            .preparedQuery("WITH earlier AS (UPDATE device_certificates SET revoked_at = now()"
                                    + " WHERE device_id = $2 AND revoked_at IS NULL)"
                                    + " INSERT INTO device_certificates"
                                    + " (serial, device_id, tenant_id, fingerprint, not_before, not_after)"
                                    + " VALUES ($1, $2, $3, $4, $5, $6)")
                            .execute(row(issued, deviceId, tenantId))
                            .call(() -> audit.record(connection, issuedEntry(tenantId, deviceId, issued))))
                    .map(rows -> {
                        LOG.infof(
                                "Certificate issued deviceId=%s tenantId=%s serial=%s",
                                deviceId, tenantId, issued.serial());
                        return issued.chain();
                    });
        });
    }

    /** A new certificate for a connected device that sent a CSR over MQTT (rotation). */
    public Uni<CertificateResponse> rotate(String tenantId, UUID deviceId, String requestId, String csrPem) {
        DeviceCsr csr;
        try {
            csr = DeviceCsr.parse(csrPem);
        } catch (DeviceCsr.InvalidCsrException e) {
            return Uni.createFrom()
                    .item(CertificateResponse.failure(requestId, CertificateError.INVALID_REQUEST, e.getMessage()));
        }
        Instant now = Instant.now();
        return issue(tenantId, deviceId, csr, now.minus(CertificateIssuer.BACKDATE), now.plus(lifetime()))
                .map(chain -> chain == null
                        ? CertificateResponse.failure(
                                requestId,
                                CertificateError.TOO_MANY_CERTIFICATES,
                                "the device holds " + config.maxActivePerDevice() + " valid certificates")
                        : CertificateResponse.issued(requestId, chain));
    }

    /**
     * Signs and stores a certificate with the given validity, unless the device already holds the most
     * valid certificates allowed. Rotation uses it; tests use it for certificates that have expired.
     *
     * @return the PEM chain, or null when the device holds too many valid certificates
     */
    public Uni<String> issue(String tenantId, UUID deviceId, DeviceCsr csr, Instant notBefore, Instant notAfter) {
        return cas.of(tenantId).chain(ca -> {
            IssuedCertificate issued =
                    cas.issuer().issue(ca, deviceId.toString(), csr.publicKey(), notBefore, notAfter);
            return pool.withTransaction(connection -> connection
                            .preparedQuery("INSERT INTO device_certificates"
                                    + " (serial, device_id, tenant_id, fingerprint, not_before, not_after)"
                                    + " SELECT $1, d.id, d.tenant_id, $4, $5, $6 FROM devices d"
                                    + " WHERE d.id = $2 AND d.tenant_id = $3"
                                    + " AND (SELECT count(*) FROM device_certificates c WHERE c.device_id = d.id"
                                    + " AND c.revoked_at IS NULL AND c.not_after > now()) < $7")
                            .execute(row(issued, deviceId, tenantId).addInteger(config.maxActivePerDevice()))
                            .call(rows -> rows.rowCount() == 0
                                    ? Uni.createFrom().voidItem()
                                    : audit.record(connection, issuedEntry(tenantId, deviceId, issued))))
                    .map(rows -> {
                        if (rows.rowCount() == 0) {
                            LOG.infof(
                                    "Certificate refused deviceId=%s tenantId=%s reason=too_many_certificates",
                                    deviceId, tenantId);
                            return null;
                        }
                        LOG.infof(
                                "Certificate issued deviceId=%s tenantId=%s serial=%s",
                                deviceId, tenantId, issued.serial());
                        return issued.chain();
                    });
        });
    }

    /** What the gateway needs to decide a CONNECT; null when the platform never issued the certificate. */
    public Uni<CertificateStatus> status(X509Certificate certificate) {
        return pool.preparedQuery("SELECT c.serial, c.device_id, c.tenant_id AS certificate_tenant,"
                        + " d.tenant_id AS device_tenant, c.revoked_at, c.not_after, d.enabled"
                        + " FROM device_certificates c JOIN devices d ON d.id = c.device_id WHERE c.fingerprint = $1")
                .execute(Tuple.of(Buffer.buffer(CertificateIssuer.fingerprint(certificate))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new CertificateStatus(
                            row.getString("serial"),
                            row.getUUID("device_id"),
                            row.getString("certificate_tenant"),
                            row.getString("device_tenant"),
                            row.getOffsetDateTime("revoked_at") != null,
                            row.getOffsetDateTime("not_after").toInstant(),
                            row.getBoolean("enabled"));
                });
    }

    /** The device's certificates, newest first; 404 when the device is not the tenant's. */
    public Uni<List<CertificateView>> list(String tenantId, UUID deviceId) {
        return pool.preparedQuery(
                        "SELECT d.id, c." + COLUMNS.replace(", ", ", c.")
                                + " FROM devices d LEFT JOIN device_certificates c ON c.device_id = d.id"
                                + " WHERE d.id = $1 AND d.tenant_id = $2 ORDER BY c.not_before DESC, c.created_at DESC LIMIT $3")
                .execute(Tuple.of(deviceId, tenantId, MAX_LISTED))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("device", deviceId);
                    }
                    List<CertificateView> views = new ArrayList<>(rows.size());
                    rows.forEach(row -> {
                        if (row.getString("serial") != null) {
                            views.add(view(row));
                        }
                    });
                    return views;
                });
    }

    /**
     * Revokes a certificate. A live session that authenticated with it is closed at once (DISCONNECT
     * 0x87) and its reconnects are refused at CONNECT. Revoking twice keeps the first time.
     */
    public Uni<CertificateView> revoke(String tenantId, UUID deviceId, String serial, String actor) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("UPDATE device_certificates SET revoked_at = COALESCE(revoked_at, now())"
                                + " WHERE serial = $1 AND device_id = $2 AND tenant_id = $3"
                                + " RETURNING " + COLUMNS + ", revoked_at = now() AS newly_revoked")
                        .execute(Tuple.of(serial.toLowerCase(), deviceId, tenantId))
                        .call(rows ->
                                rows.size() == 0 || !rows.iterator().next().getBoolean("newly_revoked")
                                        ? Uni.createFrom().voidItem()
                                        : audit.record(
                                                connection,
                                                new AuditEntry(
                                                        tenantId,
                                                        actor,
                                                        AuditAction.CERTIFICATE_REVOKED,
                                                        deviceId.toString(),
                                                        AuditSummary.created(Map.of("serial", serial.toLowerCase()))))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("certificate", serial);
                    }
                    CertificateView view = view(rows.iterator().next());
                    LOG.infof(
                            "Certificate revoked deviceId=%s tenantId=%s serial=%s", deviceId, tenantId, view.serial());
                    sessions.disconnectCertificate(
                            deviceId.toString(), view.serial(), DisconnectReason.CERTIFICATE_REVOKED);
                    return view;
                });
    }

    /** Issued by the device itself (at provisioning or by rotation), so the device is the actor. */
    private static AuditEntry issuedEntry(String tenantId, UUID deviceId, IssuedCertificate issued) {
        return new AuditEntry(
                tenantId,
                "device:" + deviceId,
                AuditAction.CERTIFICATE_ISSUED,
                deviceId.toString(),
                AuditSummary.created(Map.of(
                        "serial", issued.serial(), "notAfter", issued.notAfter().toString())));
    }

    private Duration lifetime() {
        return Duration.ofDays(config.validityDays());
    }

    private static Tuple row(IssuedCertificate issued, UUID deviceId, String tenantId) {
        return Tuple.of(
                issued.serial(),
                deviceId,
                tenantId,
                Buffer.buffer(issued.fingerprint()),
                OffsetDateTime.ofInstant(issued.notBefore(), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(issued.notAfter(), ZoneOffset.UTC));
    }

    private static CertificateView view(Row row) {
        OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
        OffsetDateTime notAfter = row.getOffsetDateTime("not_after");
        String status =
                revokedAt != null ? "REVOKED" : notAfter.toInstant().isBefore(Instant.now()) ? "EXPIRED" : "VALID";
        return new CertificateView(
                row.getString("serial"),
                row.getOffsetDateTime("not_before"),
                notAfter,
                revokedAt,
                HexFormat.of().formatHex(row.getBuffer("fingerprint").getBytes()),
                status);
    }
}
