package io.fleetcast.platform.device;

import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.protocol.DisconnectReason;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reads and changes devices of one tenant. Every statement is scoped to the tenant; every change
 * records an audit event in its own transaction.
 */
@ApplicationScoped
public class DeviceService {

    public static final int MAX_PAGE = 1000;

    private static final Logger LOG = Logger.getLogger(DeviceService.class);

    // Only a device whose state changes is updated: a repeated disable changes nothing and leaves no
    // audit event.
    private static final String SET_ENABLED =
            "UPDATE devices SET enabled = $3 WHERE tenant_id = $1 AND id = $2 AND enabled <> $3 RETURNING id";
    private static final String DELETE =
            """
            DELETE FROM devices d USING device_models m
            WHERE d.tenant_id = $1 AND d.id = $2 AND m.id = d.model_id
            RETURNING d.serial, m.name AS model
            """;

    @Inject
    Pool pool;

    @Inject
    DeviceSessions sessions;

    @Inject
    AuditLog audit;

    public Uni<DeviceView> get(String tenantId, UUID id) {
        DeviceQuery query = new DeviceQuery(tenantId).where("d.id = ?", id);
        return pool.preparedQuery(query.selectPage(null, 1))
                .execute(query.params())
                .map(rows -> first(rows, id));
    }

    public Uni<DevicePage> search(String tenantId, DeviceFilter filter, UUID after, int limit) {
        DeviceQuery query = new DeviceQuery(tenantId);
        filter.appendTo(query);
        return page(query, after, limit);
    }

    /** A page of a static group's members that also match the filter. */
    public Uni<DevicePage> searchInStaticGroup(
            String tenantId, UUID groupId, DeviceFilter filter, UUID after, int limit) {
        DeviceQuery query = new DeviceQuery(tenantId).inStaticGroup(groupId);
        filter.appendTo(query);
        return page(query, after, limit);
    }

    public Uni<Long> count(String tenantId, DeviceFilter filter) {
        DeviceQuery query = new DeviceQuery(tenantId);
        filter.appendTo(query);
        return count(query);
    }

    public Uni<Long> countInStaticGroup(String tenantId, UUID groupId) {
        return count(new DeviceQuery(tenantId).inStaticGroup(groupId));
    }

    /** Enables or disables a device; disabling cuts its live session off at once. */
    public Uni<DeviceView> setEnabled(String tenantId, String actor, UUID id, boolean enabled) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(SET_ENABLED)
                        .execute(Tuple.of(tenantId, id, enabled))
                        .call(rows -> rows.rowCount() == 0
                                ? Uni.createFrom().voidItem()
                                : audit.record(
                                        connection,
                                        new AuditEntry(
                                                tenantId,
                                                actor,
                                                enabled ? AuditAction.DEVICE_ENABLED : AuditAction.DEVICE_DISABLED,
                                                id.toString(),
                                                AuditSummary.changed(
                                                        Map.of("enabled", !enabled), Map.of("enabled", enabled))))))
                // An unknown device answers 404 here; a known one that already had the state is shown as is.
                .chain(changed -> get(tenantId, id).invoke(device -> {
                    if (changed.rowCount() > 0) {
                        LOG.infof("Device %s deviceId=%s tenantId=%s", enabled ? "enabled" : "disabled", id, tenantId);
                    }
                    if (!enabled) {
                        sessions.disconnect(id.toString(), DisconnectReason.DISABLED);
                    }
                }));
    }

    /** Deletes a device and cuts its live session off; its serial may then be registered again. */
    public Uni<Void> delete(String tenantId, String actor, UUID id) {
        return pool.withTransaction(connection -> connection
                        .preparedQuery(DELETE)
                        .execute(Tuple.of(tenantId, id))
                        .call(rows -> {
                            if (rows.rowCount() == 0) {
                                return Uni.createFrom().failure(ApiException.notFound("device", id));
                            }
                            Row deleted = rows.iterator().next();
                            Map<String, Object> before = new LinkedHashMap<>();
                            before.put("serial", deleted.getString("serial"));
                            before.put("model", deleted.getString("model"));
                            return audit.record(
                                    connection,
                                    new AuditEntry(
                                            tenantId,
                                            actor,
                                            AuditAction.DEVICE_DELETED,
                                            id.toString(),
                                            AuditSummary.deleted(before)));
                        }))
                .invoke(() -> {
                    LOG.infof("Device deleted deviceId=%s tenantId=%s", id, tenantId);
                    sessions.disconnect(id.toString(), DisconnectReason.DISABLED);
                })
                .replaceWithVoid();
    }

    private Uni<DevicePage> page(DeviceQuery query, UUID after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            return Uni.createFrom()
                    .failure(ApiException.badRequest("INVALID_LIMIT", "limit must be between 1 and " + MAX_PAGE));
        }
        // One row more than asked tells whether another page follows.
        return pool.preparedQuery(query.selectPage(after, limit + 1))
                .execute(query.params())
                .map(rows -> {
                    List<DeviceView> items = new ArrayList<>(Math.min(rows.size(), limit));
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            return new DevicePage(
                                    items, items.get(limit - 1).id().toString());
                        }
                        items.add(DeviceRows.view(row));
                    }
                    return new DevicePage(items, null);
                });
    }

    private Uni<Long> count(DeviceQuery query) {
        return pool.preparedQuery(query.selectCount())
                .execute(query.params())
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static DeviceView first(RowSet<Row> rows, UUID id) {
        if (rows.size() == 0) {
            throw ApiException.notFound("device", id);
        }
        return DeviceRows.view(rows.iterator().next());
    }
}
