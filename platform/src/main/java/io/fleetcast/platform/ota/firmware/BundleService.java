package io.fleetcast.platform.ota.firmware;

import io.fleetcast.ota.bundle.BundleErrorCode;
import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleVerifier;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.TrustedKeys;
import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.database.PgErrors;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.ota.artifact.ArtifactStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes bundles: the upload is streamed to a temporary file (hashed on the way), verified with the
 * tenant's registered keys (format, signature, payload hash and length, expiry, models), and only then
 * stored under its hash and recorded, one bundle row per model. A refused upload leaves nothing behind.
 */
@ApplicationScoped
public class BundleService {

    private static final Logger LOG = Logger.getLogger(BundleService.class);

    static final String COLUMNS = "b.id, m.name AS model, b.version, b.base_version, b.sha256, b.size, b.key_id,"
            + " b.anti_rollback, b.expires_at, b.created_by, b.created_at";

    @Inject
    ArtifactStore store;

    @Inject
    SigningKeyService keys;

    @Inject
    Pool pool;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    /** Blocks on I/O: call from a worker thread. */
    public BundleView.Published publish(String tenantId, String actor, InputStream body) throws IOException {
        TrustedKeys trusted = keys.trusted(tenantId).await().indefinitely();
        try (ArtifactStore.Staged staged = store.stage(body)) {
            BundleHeader header = verify(staged, trusted);
            Manifest manifest = header.manifest();
            Map<String, UUID> models = models(tenantId, manifest.hardwareModels());
            store.commit(staged);
            List<BundleView> bundles = record(tenantId, actor, staged, header, models);
            LOG.infof(
                    "Bundle published sha256=%s version=%s base=%s models=%s tenantId=%s",
                    staged.sha256(),
                    manifest.version(),
                    manifest.isDelta() ? manifest.baseVersions().get(0) : "-",
                    manifest.hardwareModels(),
                    tenantId);
            return new BundleView.Published(
                    staged.sha256(),
                    staged.size(),
                    manifest.version(),
                    manifest.isDelta() ? manifest.baseVersions().get(0) : null,
                    bundles);
        }
    }

    public Uni<BundleView.Page> list(String tenantId, String model, String version, UUID after, int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be between 1 and 1000");
        }
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM firmware_bundles b JOIN device_models m ON m.id = b.model_id"
                                + " WHERE b.tenant_id = $1 AND ($2::text IS NULL OR m.name = $2)"
                                + " AND ($3::text IS NULL OR b.version = $3) AND ($4::uuid IS NULL OR b.id > $4)"
                                + " ORDER BY b.id LIMIT $5")
                .execute(Tuple.from(java.util.Arrays.asList(tenantId, model, version, after, limit + 1)))
                .map(rows -> {
                    List<BundleView> items = new ArrayList<>();
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            return new BundleView.Page(
                                    items, items.get(limit - 1).id().toString());
                        }
                        items.add(view(row));
                    }
                    return new BundleView.Page(items, null);
                });
    }

    public Uni<BundleView> get(String tenantId, UUID id) {
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM firmware_bundles b JOIN device_models m ON m.id = b.model_id"
                                + " WHERE b.tenant_id = $1 AND b.id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("bundle", id);
                    }
                    return view(rows.iterator().next());
                });
    }

    private BundleHeader verify(ArtifactStore.Staged staged, TrustedKeys trusted) throws IOException {
        try {
            BundleHeader header = BundleHeader.read(staged.file());
            String keyId = header.manifest().keyId();
            if (!trusted.keyIds().contains(keyId)) {
                throw rejected(
                        "UNKNOWN_SIGNING_KEY",
                        "the bundle is signed with key " + keyId + ", which is not registered (or is revoked)");
            }
            new BundleVerifier(trusted).verify(staged.file());
            if (!header.manifest().expiresAt().isAfter(clock.instant())) {
                throw rejected(
                        "BUNDLE_EXPIRED",
                        "the manifest expired at " + header.manifest().expiresAt());
            }
            return header;
        } catch (BundleException e) {
            if (e.code() == BundleErrorCode.MALFORMED) {
                throw ApiException.badRequest("BUNDLE_MALFORMED", e.getMessage());
            }
            throw rejected("BUNDLE_" + e.code().name(), e.getMessage());
        }
    }

    private Map<String, UUID> models(String tenantId, List<String> names) {
        Map<String, UUID> found = new HashMap<>();
        pool.preparedQuery("SELECT id, name FROM device_models WHERE tenant_id = $1 AND name = ANY($2)")
                .execute(Tuple.of(tenantId, names.toArray(String[]::new)))
                .await()
                .indefinitely()
                .forEach(row -> found.put(row.getString("name"), row.getUUID("id")));
        List<String> unknown =
                names.stream().filter(name -> !found.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw rejected("UNKNOWN_MODEL", "the manifest names models the tenant does not have: " + unknown);
        }
        return found;
    }

    private List<BundleView> record(
            String tenantId, String actor, ArtifactStore.Staged staged, BundleHeader header, Map<String, UUID> models) {
        Manifest manifest = header.manifest();
        String base = manifest.isDelta() ? manifest.baseVersions().get(0) : null;
        String manifestJson = new String(header.manifestBytes(), StandardCharsets.UTF_8);
        List<UUID> ids = new ArrayList<>();
        List<UUID> modelIds = new ArrayList<>();
        for (String name : manifest.hardwareModels()) {
            ids.add(Ids.newId());
            modelIds.add(models.get(name));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("version", manifest.version());
        fields.put("baseVersion", base);
        fields.put("models", manifest.hardwareModels());
        fields.put("size", staged.size());
        fields.put("keyId", manifest.keyId());
        pool.withTransaction(connection -> connection
                        .preparedQuery(
                                "INSERT INTO ota_artifacts (sha256, size) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(staged.sha256(), staged.size()))
                        .chain(() -> connection
                                .preparedQuery(
                                        """
                                        INSERT INTO firmware_bundles (id, tenant_id, model_id, version, base_version, sha256,
                                               size, key_id, anti_rollback, expires_at, manifest, created_by)
                                        SELECT id, $3, model_id, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12
                                        FROM unnest($1::uuid[], $2::uuid[]) AS x(id, model_id)
                                        """)
                                .execute(Tuple.from(java.util.Arrays.asList(
                                        ids.toArray(UUID[]::new),
                                        modelIds.toArray(UUID[]::new),
                                        tenantId,
                                        manifest.version(),
                                        base,
                                        staged.sha256(),
                                        staged.size(),
                                        manifest.keyId(),
                                        manifest.antiRollback(),
                                        OffsetDateTime.ofInstant(manifest.expiresAt(), ZoneOffset.UTC),
                                        manifestJson,
                                        actor))))
                        .chain(() -> audit.record(
                                connection,
                                new AuditEntry(
                                        tenantId,
                                        actor,
                                        AuditAction.BUNDLE_PUBLISHED,
                                        staged.sha256(),
                                        AuditSummary.created(fields)))))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> ApiException.conflict(
                        "BUNDLE_EXISTS",
                        "a " + (base == null ? "full bundle" : "delta from " + base) + " of version "
                                + manifest.version() + " is published already for one of " + manifest.hardwareModels()))
                .await()
                .indefinitely();
        List<BundleView> bundles = new ArrayList<>();
        for (UUID id : ids) {
            bundles.add(get(tenantId, id).await().indefinitely());
        }
        return bundles;
    }

    private static ApiException rejected(String code, String message) {
        return ApiException.unprocessable(code, message);
    }

    static BundleView view(Row row) {
        return new BundleView(
                row.getUUID("id"),
                row.getString("model"),
                row.getString("version"),
                row.getString("base_version"),
                row.getString("sha256"),
                row.getLong("size"),
                row.getString("key_id"),
                row.getLong("anti_rollback"),
                row.getOffsetDateTime("expires_at").toInstant(),
                row.getString("created_by"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
