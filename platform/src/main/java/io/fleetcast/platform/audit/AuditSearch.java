package io.fleetcast.platform.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a tenant's audit log newest first, one keyset page at a time. The tenant is always {@code $1};
 * each filter on its own matches an index that starts with the tenant and ends with the id.
 */
@ApplicationScoped
public class AuditSearch {

    @Inject
    Pool pool;

    public Uni<AuditPage> page(String tenantId, AuditFilter filter, UUID before, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(tenantId);
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor, action, target_type, target_id, summary FROM audit_events WHERE tenant_id = $1");
        if (filter.action() != null) {
            condition(sql, params, "action = ", filter.action().wireName());
        }
        condition(sql, params, "actor = ", filter.actor());
        condition(sql, params, "target_type = ", filter.targetType());
        condition(sql, params, "target_id = ", filter.targetId());
        condition(sql, params, "at >= ", timestamp(filter.from()));
        condition(sql, params, "at < ", timestamp(filter.to()));
        condition(sql, params, "id < ", before);
        // One row more than asked tells whether another page follows.
        params.add(limit + 1);
        sql.append(" ORDER BY id DESC LIMIT $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
            List<AuditEvent> items = new ArrayList<>(Math.min(rows.size(), limit));
            for (Row row : rows) {
                if (items.size() == limit) {
                    return new AuditPage(items, items.get(limit - 1).id().toString());
                }
                items.add(event(row));
            }
            return new AuditPage(items, null);
        });
    }

    private static void condition(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            params.add(value);
            sql.append(" AND ").append(condition).append('$').append(params.size());
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static AuditEvent event(Row row) {
        JsonObject summary = row.getJsonObject("summary");
        return new AuditEvent(
                row.getUUID("id"),
                row.getOffsetDateTime("at").toInstant(),
                row.getString("actor"),
                row.getString("action"),
                row.getString("target_type"),
                row.getString("target_id"),
                summary == null ? null : summary.getMap());
    }
}
