package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.security.SecretHasher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** Checks a device's credential at CONNECT. The device's identity is its credential. */
@ApplicationScoped
class DeviceAuthenticator {

    enum Outcome {
        ACCEPTED,
        /** Unknown device or wrong credential: indistinguishable on purpose. */
        BAD_CREDENTIALS,
        DISABLED,
        /** The user name names another device than the client id. */
        CLIENT_ID_MISMATCH
    }

    record Result(Outcome outcome, UUID deviceId, String tenantId) {}

    @Inject
    Pool pool;

    @Inject
    SecretHasher hasher;

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
