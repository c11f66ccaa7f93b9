package io.fleetcast.platform.device;

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
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads and changes devices of one tenant. Every statement is scoped to the tenant. */
@ApplicationScoped
public class DeviceService {

    public static final int MAX_PAGE = 1000;

    private static final Logger LOG = Logger.getLogger(DeviceService.class);

    @Inject
    Pool pool;

    @Inject
    DeviceSessions sessions;

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
    public Uni<DeviceView> setEnabled(String tenantId, UUID id, boolean enabled) {
        return pool.preparedQuery("UPDATE devices SET enabled = $3 WHERE tenant_id = $1 AND id = $2 RETURNING id")
                .execute(Tuple.of(tenantId, id, enabled))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().failure(ApiException.notFound("device", id));
                    }
                    LOG.infof("Device %s deviceId=%s tenantId=%s", enabled ? "enabled" : "disabled", id, tenantId);
                    if (!enabled) {
                        sessions.disconnect(id.toString(), DisconnectReason.DISABLED);
                    }
                    return get(tenantId, id);
                });
    }

    /** Deletes a device and cuts its live session off; its serial may then be registered again. */
    public Uni<Void> delete(String tenantId, UUID id) {
        return pool.preparedQuery("DELETE FROM devices WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.notFound("device", id);
                    }
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
