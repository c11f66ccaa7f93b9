package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.certificate.DeviceCertificates;
import io.fleetcast.platform.certificate.Subjects;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.security.SecretHasher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.UUID;

/**
 * Checks a device at CONNECT: by its credential, or by the client certificate it presented over TLS.
 * The device's identity is its credential or its certificate.
 */
@ApplicationScoped
class DeviceAuthenticator {

    enum Outcome {
        ACCEPTED,
        /** Unknown device or wrong credential: indistinguishable on purpose. */
        BAD_CREDENTIALS,
        DISABLED,
        /** The user name, or the certificate's common name, names another device than the client id. */
        CLIENT_ID_MISMATCH,
        CERTIFICATE_REVOKED,
        CERTIFICATE_EXPIRED
    }

    /** @param certificateSerial the serial of the certificate the device authenticated with, else null */
    record Result(Outcome outcome, UUID deviceId, String tenantId, String certificateSerial) {

        Result(Outcome outcome, UUID deviceId, String tenantId) {
            this(outcome, deviceId, tenantId, null);
        }
    }

    @Inject
    Pool pool;

    @Inject
    SecretHasher hasher;

    @Inject
    DeviceCertificates certificates;

    /**
     * A certificate the TLS handshake already chained to some tenant's CA. Here: its common name must be
     * the client id, and the platform must have issued it to that device, by the device's own tenant's
     * CA, not revoked and not expired. No password is needed.
     */
    Uni<Result> authenticate(String clientId, String username, X509Certificate certificate) {
        String commonName = Subjects.commonName(certificate);
        if (!clientId.equals(commonName) || (username != null && !username.isEmpty() && !username.equals(clientId))) {
            return Uni.createFrom().item(new Result(Outcome.CLIENT_ID_MISMATCH, null, null));
        }
        return certificates.status(certificate).map(status -> {
            if (status == null
                    || !status.deviceId().toString().equals(clientId)
                    || !status.certificateTenantId().equals(status.deviceTenantId())) {
                return new Result(Outcome.BAD_CREDENTIALS, null, null);
            }
            Outcome outcome;
            if (status.revoked()) {
                outcome = Outcome.CERTIFICATE_REVOKED;
            } else if (!status.notAfter().isAfter(Instant.now())) {
                outcome = Outcome.CERTIFICATE_EXPIRED;
            } else if (!status.deviceEnabled()) {
                outcome = Outcome.DISABLED;
            } else {
                outcome = Outcome.ACCEPTED;
            }
            return new Result(outcome, status.deviceId(), status.deviceTenantId(), status.serial());
        });
    }

    Uni<Result> authenticate(String clientId, String username, String password) {
        if (username != null && !username.isEmpty() && !username.equals(clientId)) {
            return Uni.createFrom().item(new Result(Outcome.CLIENT_ID_MISMATCH, null, null));
        }
        UUID deviceId = Ids.parseOrNull(clientId);
        if (deviceId == null || password == null) {
            return Uni.createFrom().item(new Result(Outcome.BAD_CREDENTIALS, null, null));
        }
        return pool.preparedQuery("SELECT tenant_id, credential_hash, enabled FROM devices WHERE id = $1")
                .execute(Tuple.of(deviceId))
                .map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    if (row == null
                            || row.getBuffer("credential_hash") == null
                            || !hasher.matches(
                                    password, row.getBuffer("credential_hash").getBytes())) {
                        return new Result(Outcome.BAD_CREDENTIALS, deviceId, null);
                    }
                    String tenantId = row.getString("tenant_id");
                    return new Result(
                            row.getBoolean("enabled") ? Outcome.ACCEPTED : Outcome.DISABLED, deviceId, tenantId);
                });
    }
}
