package io.fleetcast.platform.provisioning;

import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.security.SecretHasher;
import io.fleetcast.platform.security.Secrets;
import io.fleetcast.protocol.Credentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Claims of a tenant: created by manufacturers, consumed by devices through {@link Provisioner}. Every
 * change records an audit event in its own transaction; the secret never reaches the log.
 */
@ApplicationScoped
public class ClaimService {

    static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

    private static final Logger LOG = Logger.getLogger(ClaimService.class);
    private static final String COLUMNS =
            "c.id, m.name AS model, c.description, c.max_uses, c.uses, c.expires_at, c.revoked_at, c.created_at";
    private static final String FROM = "claims c JOIN device_models m ON m.id = c.model_id";
    private static final String INSERT =
            """
            INSERT INTO claims (id, tenant_id, model_id, description, secret_hash, max_uses, expires_at)
            SELECT $1, $2, m.id, $4, $5, $6, $7 FROM device_models m
            WHERE m.tenant_id = $2 AND m.name = $3
            """;
    // Only a claim that is not revoked yet changes: revoking twice leaves one audit event.
    private static final String REVOKE =
            """
            UPDATE claims SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL
            RETURNING revoked_at
            """;

    @Inject
    Pool pool;

    @Inject
    SecretHasher hasher;

    @Inject
    AuditLog audit;

    public Uni<ClaimView> create(String tenantId, String actor, ClaimRequest request) {
        UUID id = Ids.newId();
        String secret = Secrets.newSecret();
        Instant expiresAt = request.expiresAt() != null
                ? request.expiresAt()
                : Instant.now().plus(DEFAULT_LIFETIME);
        return pool.withTransaction(connection -> connection
                        .preparedQuery(INSERT)
                        .execute(Tuple.from(Arrays.asList(
                                id,
                                tenantId,
                                request.model(),
                                request.description(),
                                Buffer.buffer(hasher.hash(secret)),
                                request.maxUses(),
                                OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))))
                        .chain(rows -> {
                            if (rows.rowCount() == 0) {
                                return Uni.createFrom()
                                        .failure(ApiException.badRequest(
                                                "UNKNOWN_MODEL", "model '" + request.model() + "' does not exist"));
                            }
                            Map<String, Object> after = new LinkedHashMap<>();
                            after.put("model", request.model());
                            after.put("maxUses", request.maxUses());
                            after.put("expiresAt", expiresAt.toString());
                            after.put("description", request.description());
                            return audit.record(
                                    connection,
                                    new AuditEntry(
                                            tenantId,
                                            actor,
                                            AuditAction.CLAIM_CREATED,
                                            id.toString(),
                                            AuditSummary.created(after)));
                        }))
                .chain(() -> {
                    LOG.infof(
                            "Claim created claimId=%s tenantId=%s model=%s maxUses=%d",
                            id, tenantId, request.model(), request.maxUses());
                    return get(tenantId, id).map(view -> view.withToken(Credentials.claimToken(id.toString(), secret)));
                });
    }

    public Uni<ClaimView> get(String tenantId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM " + FROM + " WHERE c.tenant_id = $1 AND c.id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("claim", id);
                    }
                    return view(rows.iterator().next());
                });
    }

    /** Claims newest first, one keyset page at a time. */
    public Uni<List<ClaimView>> list(String tenantId, UUID before, int limit) {
        String keyset = before == null ? "" : " AND c.id < $3";
        Tuple params = before == null ? Tuple.of(tenantId, limit) : Tuple.of(tenantId, limit, before);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM " + FROM + " WHERE c.tenant_id = $1" + keyset
                        + " ORDER BY c.id DESC LIMIT $2")
                .execute(params)
                .map(ClaimService::views);
    }

    /** Revokes a claim: devices that have not provisioned yet can no longer use it. */
    public Uni<ClaimView> revoke(String tenantId, String actor, UUID id) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(REVOKE)
                        .execute(Tuple.of(tenantId, id))
                        .call(rows -> {
                            if (rows.rowCount() == 0) {
                                return Uni.createFrom().voidItem();
                            }
                            Map<String, Object> before = new LinkedHashMap<>();
                            before.put("revokedAt", null);
                            String revokedAt = rows.iterator()
                                    .next()
                                    .getOffsetDateTime("revoked_at")
                                    .toInstant()
                                    .toString();
                            return audit.record(
                                    connection,
                                    new AuditEntry(
                                            tenantId,
                                            actor,
                                            AuditAction.CLAIM_REVOKED,
                                            id.toString(),
                                            AuditSummary.changed(before, Map.of("revokedAt", revokedAt))));
                        }))
                // An unknown claim answers 404 here; one revoked before is shown as is.
                .chain(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Claim revoked claimId=%s tenantId=%s", id, tenantId);
                    }
                    return get(tenantId, id);
                });
    }

    private static List<ClaimView> views(RowSet<Row> rows) {
        List<ClaimView> views = new ArrayList<>(rows.size());
        rows.forEach(row -> views.add(view(row)));
        return views;
    }

    private static ClaimView view(Row row) {
        OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
        return new ClaimView(
                row.getUUID("id"),
                row.getString("model"),
                row.getString("description"),
                row.getInteger("max_uses"),
                row.getInteger("uses"),
                row.getOffsetDateTime("expires_at").toInstant(),
                revokedAt == null ? null : revokedAt.toInstant(),
                row.getOffsetDateTime("created_at").toInstant(),
                null);
    }
}
