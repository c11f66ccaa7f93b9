package io.fleetcast.platform.device;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds one keyset-paged SELECT over {@code devices d}. The tenant is always parameter {@code $1}, so
 * no query built here can leave it out. Conditions use {@code ?} for their single parameter.
 */
final class DeviceQuery {

    static final String COLUMNS =
            "d.id, d.serial, m.name AS model, d.enabled, d.credential_hash IS NOT NULL AS provisioned, d.online,"
                    + " d.last_seen, d.last_disconnect_reason, d.firmware_version, d.active_slot, d.tags, d.region,"
                    + " d.reported, d.created_at, d.provisioned_at";

    private final StringBuilder from = new StringBuilder("devices d JOIN device_models m ON m.id = d.model_id");
    private final StringBuilder where = new StringBuilder("d.tenant_id = $1");
    private final List<Object> params = new ArrayList<>();

    DeviceQuery(String tenantId) {
        params.add(tenantId);
    }

    /** Restricts to the members of a static group. */
    DeviceQuery inStaticGroup(UUID groupId) {
        params.add(groupId);
        from.append(" JOIN device_group_members g ON g.device_id = d.id AND g.group_id = $")
                .append(params.size());
        return this;
    }

    DeviceQuery where(String condition) {
        where.append(" AND ").append(condition);
        return this;
    }

    DeviceQuery where(String condition, Object value) {
        params.add(value);
        where.append(" AND ").append(condition.replace("?", "$" + params.size()));
        return this;
    }

    /** A page of devices after the given id, in id order. */
    String selectPage(UUID after, int limit) {
        if (after != null) {
            where("d.id > ?", after);
        }
        params.add(limit);
        return "SELECT " + COLUMNS + " FROM " + from + " WHERE " + where + " ORDER BY d.id LIMIT $" + params.size();
    }

    /** Binds one more parameter and returns its placeholder, for SQL built around this query. */
    String bind(Object value) {
        params.add(value);
        return "$" + params.size();
    }

    /** The matching devices' columns, unordered and unlimited, to embed in a set-based statement. */
    String select(String columns) {
        return "SELECT " + columns + " FROM " + from + " WHERE " + where;
    }

    String selectCount() {
        return "SELECT count(*) FROM " + from + " WHERE " + where;
    }

    Tuple params() {
        return Tuple.from(params);
    }
}
