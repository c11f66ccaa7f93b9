package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.platform.device.DeviceSelection;
import io.fleetcast.platform.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns a rollout's target into the SQL selection of its devices: a filter as is, a dynamic group by
 * its filter, a static group by its members. Always scoped to the rollout's tenant.
 */
@ApplicationScoped
public class RolloutTargets {

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    /**
     * A fresh selection per call (a selection accumulates the parameters of the statement it is built
     * into). Fails with 422 UNKNOWN_GROUP when the group is not the tenant's.
     */
    Uni<Supplier<DeviceSelection>> selection(String tenantId, RolloutSpec.Target target) {
        if (target.filter() != null) {
            DeviceFilter filter = target.filter();
            return Uni.createFrom().item(() -> () -> DeviceSelection.matching(tenantId, filter));
        }
        UUID groupId = target.groupId();
        return pool.preparedQuery(
                        "SELECT kind, filter::text AS filter FROM device_groups WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, groupId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.unprocessable("UNKNOWN_GROUP", "group " + groupId + " not found");
                    }
                    Row row = rows.iterator().next();
                    if ("DYNAMIC".equals(row.getString("kind"))) {
                        DeviceFilter filter = decode(row.getString("filter"));
                        return () -> DeviceSelection.matching(tenantId, filter);
                    }
                    return () -> DeviceSelection.inStaticGroup(tenantId, groupId);
                });
    }

    private DeviceFilter decode(String filter) {
        try {
            return json.readValue(filter, DeviceFilter.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored group filter does not decode", e);
        }
    }
}
