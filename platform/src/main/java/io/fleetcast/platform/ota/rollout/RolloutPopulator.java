package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.device.DeviceSelection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes a rollout's actions: one count, one INSERT ... SELECT of every eligible device with its group
 * number, one insert of the groups. A million devices are three statements; nothing is loaded into
 * the JVM.
 */
@ApplicationScoped
public class RolloutPopulator {

    /** How many devices were taken and left out. */
    record Populated(long total, long skipped, long[] groupSizes) {}

    /**
     * A device is eligible when its model has a full bundle of the version (deltas are optional: the
     * full image is always the fallback) and it does not run the version already.
     */
    private static String eligible(String version) {
        return "d.firmware_version IS DISTINCT FROM " + version
                + " AND EXISTS (SELECT 1 FROM firmware_bundles b WHERE b.tenant_id = $1 AND b.model_id = d.model_id"
                + " AND b.version = " + version + " AND b.base_version IS NULL)";
    }

    Uni<Populated> populate(
            SqlConnection connection, UUID rolloutId, RolloutSpec spec, Supplier<DeviceSelection> target) {
        DeviceSelection counting = target.get();
        String version = counting.bind(spec.version());
        String count = "SELECT count(*) FILTER (WHERE e) AS eligible, count(*) FILTER (WHERE NOT e) AS skipped FROM ("
                + counting.select(eligible(version) + " AS e") + ") x";
        return connection.preparedQuery(count).execute(counting.params()).chain(rows -> {
            Row row = rows.iterator().next();
            long total = row.getLong("eligible");
            long skipped = row.getLong("skipped");
            long[] sizes = GroupSizes.split(total, spec.groups());
            return insertActions(connection, rolloutId, spec, target, sizes)
                    .chain(() -> insertGroups(connection, rolloutId, sizes))
                    .replaceWith(new Populated(total, skipped, sizes));
        });
    }

    private Uni<Void> insertActions(
            SqlConnection connection,
            UUID rolloutId,
            RolloutSpec spec,
            Supplier<DeviceSelection> target,
            long[] sizes) {
        DeviceSelection selection = target.get();
        String version = selection.bind(spec.version());
        String rollout = selection.bind(rolloutId);
        String bounds = selection.bind(GroupSizes.lowerBounds(sizes));
        selection.where(eligible(version));
        // Groups follow device id order, which is registration order (ids are time-ordered).
        String insert = "INSERT INTO rollout_actions (rollout_id, device_id, group_no, state) SELECT " + rollout
                + ", id, width_bucket(rn, " + bounds + "::bigint[]), 'SCHEDULED' FROM ("
                + selection.select("d.id, row_number() OVER (ORDER BY d.id) AS rn") + ") x";
        return connection.preparedQuery(insert).execute(selection.params()).replaceWithVoid();
    }

    private Uni<Void> insertGroups(SqlConnection connection, UUID rolloutId, long[] sizes) {
        Long[] boxed = new Long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            boxed[i] = sizes[i];
        }
        return connection
                .preparedQuery(
                        """
                        INSERT INTO rollout_groups (rollout_id, group_no, state, size)
                        SELECT $1, g, 'READY', s FROM unnest($2::bigint[]) WITH ORDINALITY AS x(s, g)
                        """)
                .execute(Tuple.of(rolloutId, boxed))
                .replaceWithVoid();
    }

    /**
     * Adds devices that match a dynamic rollout's target now but have no action yet, to its last
     * group; at most {@code limit} per call.
     */
    Uni<Long> addLateDevices(
            SqlConnection connection,
            UUID rolloutId,
            RolloutSpec spec,
            Supplier<DeviceSelection> target,
            int lastGroup,
            int limit) {
        DeviceSelection selection = target.get();
        String version = selection.bind(spec.version());
        String rollout = selection.bind(rolloutId);
        String group = selection.bind((short) lastGroup);
        String max = selection.bind(limit);
        selection.where(eligible(version));
        selection.where("NOT EXISTS (SELECT 1 FROM rollout_actions a WHERE a.rollout_id = " + rollout
                + " AND a.device_id = d.id)");
        String insert = "INSERT INTO rollout_actions (rollout_id, device_id, group_no, state) SELECT " + rollout
                + ", id, " + group + ", 'SCHEDULED' FROM (" + selection.select("d.id") + " LIMIT " + max
                + ") x ON CONFLICT DO NOTHING";
        return connection.preparedQuery(insert).execute(selection.params()).map(rows -> (long) rows.rowCount());
    }
}
