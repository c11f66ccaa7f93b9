package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link RolloutProgress} from group rows joined with their counters. */
final class RolloutProgresses {

    private RolloutProgresses() {}

    static RolloutProgress of(Rollout rollout, RowSet<Row> rows) {
        Map<Integer, GroupState> groupStates = new LinkedHashMap<>();
        ActionCounts counts = new ActionCounts();
        for (Row row : rows) {
            int group = row.getShort("group_no");
            groupStates.put(group, GroupState.valueOf(row.getString("group_state")));
            String state = row.getString("state");
            if (state != null) {
                counts.add(group, OtaState.valueOf(state), row.getLong("n"));
            }
        }
        Map<Integer, Map<OtaState, Long>> byGroup = counts.asMap();
        Map<OtaState, Long> totals = new EnumMap<>(OtaState.class);
        List<RolloutProgress.GroupProgress> groups = new ArrayList<>();
        groupStates.forEach((group, state) -> {
            Map<OtaState, Long> states = byGroup.getOrDefault(group, Map.of());
            states.forEach((s, n) -> totals.merge(s, n, Long::sum));
            groups.add(new RolloutProgress.GroupProgress(group, state, counts.size(group), states));
        });
        return new RolloutProgress(rollout.id(), rollout.state(), rollout.totalDevices(), totals, groups);
    }
}
