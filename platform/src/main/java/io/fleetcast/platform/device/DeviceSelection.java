package io.fleetcast.platform.device;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * The devices of one tenant that a filter or a static group selects, as SQL to embed in set-based
 * statements of other features (e.g. a rollout's INSERT ... SELECT over a million devices). The
 * tenant is always parameter {@code $1}; the devices table is aliased {@code d}.
 */
public final class DeviceSelection {

    private final DeviceQuery query;

    private DeviceSelection(DeviceQuery query) {
        this.query = query;
    }

    public static DeviceSelection matching(String tenantId, DeviceFilter filter) {
        DeviceQuery query = new DeviceQuery(tenantId);
        filter.appendTo(query);
        return new DeviceSelection(query);
    }

    public static DeviceSelection inStaticGroup(String tenantId, UUID groupId) {
        return new DeviceSelection(new DeviceQuery(tenantId).inStaticGroup(groupId));
    }

    /** Adds a condition on {@code d} whose parameters were bound with {@link #bind}. */
    public DeviceSelection where(String condition) {
        query.where(condition);
        return this;
    }

    /** Adds a condition on {@code d} with one parameter written as {@code ?}. */
    public DeviceSelection where(String condition, Object value) {
        query.where(condition, value);
        return this;
    }

    /** Binds a parameter for SQL around the selection and returns its placeholder ({@code $n}). */
    public String bind(Object value) {
        return query.bind(value);
    }

    /** {@code SELECT <columns> FROM devices d ... WHERE ...}, unordered and unlimited. */
    public String select(String columns) {
        return query.select(columns);
    }

    public Tuple params() {
        return query.params();
    }
}
