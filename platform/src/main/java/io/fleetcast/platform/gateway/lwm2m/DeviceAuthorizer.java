package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.certificate.CertificateStatus;
import io.fleetcast.platform.certificate.DeviceCertificates;
import io.fleetcast.platform.database.Ids;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.leshan.core.peer.LwM2mIdentity;
import org.eclipse.leshan.core.peer.LwM2mPeer;
import org.eclipse.leshan.core.peer.X509Identity;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.request.UplinkRequest;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.security.Authorization;
import org.eclipse.leshan.server.security.Authorizer;
import org.jboss.logging.Logger;

/**
 * Decides who may register, as the MQTT gateway decides a CONNECT: the endpoint name must be the device
 * id, proven by a certificate the platform issued to that device through its own tenant's CA, not
 * revoked nor expired, of an enabled device. Without DTLS (NoSec), only when
 * {@code fleetcast.lwm2m.allow-insecure} is on, and then only for known, enabled devices.
 *
 * <p>An approved registration carries the tenant and the certificate serial as application data, so
 * later requests need no database. Updates and deregistrations must come from the identity that
 * registered.
 *
 * <p>Leshan calls this synchronously on its CoAP threads (never a Vert.x event loop), so the one
 * database read of a Register is awaited here, bounded by a timeout.
 */
final class DeviceAuthorizer implements Authorizer {

    private static final Logger LOG = Logger.getLogger(DeviceAuthorizer.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    static final String TENANT = "tenant";
    static final String CERTIFICATE_SERIAL = "certificate";

    private final DeviceCertificates certificates;
    private final PeerCertificates peers;
    private final Pool pool;
    private final boolean allowInsecure;

    DeviceAuthorizer(DeviceCertificates certificates, PeerCertificates peers, Pool pool, boolean allowInsecure) {
        this.certificates = certificates;
        this.peers = peers;
        this.pool = pool;
        this.allowInsecure = allowInsecure;
    }

    @Override
    public Authorization isAuthorized(UplinkRequest<?> request, Registration registration, LwM2mPeer sender) {
        if (!(request instanceof RegisterRequest)) {
            // Update, deregister, send: only the identity that registered.
            LwM2mIdentity registered = registration.getClientTransportData().getIdentity();
            boolean same = registered == null ? !secure(sender) : registered.equals(sender.getIdentity());
            return same ? Authorization.approved(registration.getApplicationData()) : Authorization.declined();
        }
        String endpoint = registration.getEndpoint();
        try {
            Authorization decision = sender.getIdentity() instanceof X509Identity x509
                    ? byCertificate(endpoint, x509)
                    : insecure(endpoint, sender);
            return decision;
        } catch (RuntimeException e) {
            LOG.errorf(e, "LwM2M registration refused endpoint=%s reason=server_unavailable", endpoint);
            return Authorization.declined();
        }
    }

    private Authorization byCertificate(String endpoint, X509Identity identity) {
        if (!endpoint.equals(identity.getX509CommonName())) {
            return refused(endpoint, "client_id_mismatch");
        }
        X509Certificate certificate = peers.of(endpoint);
        if (certificate == null) {
            return refused(endpoint, "bad_credentials");
        }
        CertificateStatus status = certificates.status(certificate).await().atMost(LOOKUP_TIMEOUT);
        if (status == null
                || !status.deviceId().toString().equals(endpoint)
                || !status.certificateTenantId().equals(status.deviceTenantId())) {
            return refused(endpoint, "bad_credentials");
        }
        if (status.revoked()) {
            return refused(endpoint, "certificate_revoked");
        }
        if (!status.notAfter().isAfter(Instant.now())) {
            return refused(endpoint, "certificate_expired");
        }
        if (!status.deviceEnabled()) {
            return refused(endpoint, "device_disabled");
        }
        return Authorization.approved(Map.of(TENANT, status.deviceTenantId(), CERTIFICATE_SERIAL, status.serial()));
    }

    private Authorization insecure(String endpoint, LwM2mPeer sender) {
        if (secure(sender)) {
            // PSK, RPK or OSCORE: the platform issues none of those.
            return refused(endpoint, "unsupported_security");
        }
        if (!allowInsecure) {
            return refused(endpoint, "insecure_refused");
        }
        UUID deviceId = Ids.parseOrNull(endpoint);
        if (deviceId == null) {
            return refused(endpoint, "bad_credentials");
        }
        Row row = pool.preparedQuery("SELECT tenant_id, enabled FROM devices WHERE id = $1")
                .execute(Tuple.of(deviceId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next())
                .await()
                .atMost(LOOKUP_TIMEOUT);
        if (row == null) {
            return refused(endpoint, "bad_credentials");
        }
        if (!row.getBoolean("enabled")) {
            return refused(endpoint, "device_disabled");
        }
        LOG.warnf("LwM2M registration without security accepted endpoint=%s (allow-insecure is on)", endpoint);
        return Authorization.approved(Map.of(TENANT, row.getString("tenant_id")));
    }

    private static boolean secure(LwM2mPeer peer) {
        return peer.getIdentity() != null && peer.getIdentity().isSecure();
    }

    private static Authorization refused(String endpoint, String reason) {
        LOG.infof("LwM2M registration refused endpoint=%s reason=%s", endpoint, reason);
        return Authorization.declined();
    }
}
