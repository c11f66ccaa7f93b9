package io.fleetcast.platform.ota.firmware;

import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.TrustedKeys;
import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.database.PgErrors;
import io.fleetcast.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Ed25519 keys a tenant signs bundles with. Registering and revoking are audit-logged. */
@ApplicationScoped
public class SigningKeyService {

    private static final String COLUMNS = "id, key_id, name, public_key, created_at, revoked_at";

    @Inject
    Pool pool;

    @Inject
    AuditLog audit;

    public Uni<SigningKeyView> register(String tenantId, String actor, SigningKeyRequest request) {
        PublicKey key;
        try {
            key = Keys.parsePublicKey(request.publicKey());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom()
                    .failure(ApiException.badRequest("INVALID_KEY", "publicKey must be a PEM Ed25519 public key"));
        }
        String keyId = Keys.keyId(key);
        String pem = Keys.toPem(key);
        UUID id = Ids.newId();
        return pool.withTransaction(connection -> connection
                        .preparedQuery("INSERT INTO ota_signing_keys (id, tenant_id, key_id, name, public_key)"
                                + " VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS)
                        .execute(Tuple.of(id, tenantId, keyId, request.name().strip(), pem))
                        .call(rows -> {
                            Map<String, Object> fields = new LinkedHashMap<>();
                            fields.put("keyId", keyId);
                            fields.put("name", request.name().strip());
                            return audit.record(
                                    connection,
                                    new AuditEntry(
                                            tenantId,
                                            actor,
                                            AuditAction.SIGNING_KEY_REGISTERED,
                                            id.toString(),
                                            AuditSummary.created(fields)));
                        }))
                .map(rows -> view(rows.iterator().next()))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> ApiException.conflict("KEY_EXISTS", "key " + keyId + " is registered already"));
    }

    public Uni<List<SigningKeyView>> list(String tenantId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM ota_signing_keys WHERE tenant_id = $1 ORDER BY id")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<SigningKeyView> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(view(row)));
                    return keys;
                });
    }

    /** Stops trusting a key for uploads; bundles it signed stay published. */
    public Uni<SigningKeyView> revoke(String tenantId, String actor, UUID id) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery("UPDATE ota_signing_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2"
                                + " AND revoked_at IS NULL RETURNING " + COLUMNS)
                        .execute(Tuple.of(tenantId, id))
                        .call(rows -> rows.size() == 0
                                ? Uni.createFrom().voidItem()
                                : audit.record(
                                        connection,
                                        new AuditEntry(
                                                tenantId,
                                                actor,
                                                AuditAction.SIGNING_KEY_REVOKED,
                                                id.toString(),
                                                AuditSummary.changed(
                                                        Map.of("revoked", false), Map.of("revoked", true))))))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(view(rows.iterator().next()))
                        : get(tenantId, id));
    }

    public Uni<SigningKeyView> get(String tenantId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM ota_signing_keys WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("signing key", id);
                    }
                    return view(rows.iterator().next());
                });
    }

    /** The keys uploads of the tenant are verified against: registered and not revoked. */
    public Uni<TrustedKeys> trusted(String tenantId) {
        return pool.preparedQuery("SELECT public_key FROM ota_signing_keys WHERE tenant_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<PublicKey> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(Keys.parsePublicKey(row.getString("public_key"))));
                    return TrustedKeys.of(keys);
                });
    }

    private static SigningKeyView view(Row row) {
        OffsetDateTime revoked = row.getOffsetDateTime("revoked_at");
        return new SigningKeyView(
                row.getUUID("id"),
                row.getString("key_id"),
                row.getString("name"),
                row.getString("public_key"),
                row.getOffsetDateTime("created_at").toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
