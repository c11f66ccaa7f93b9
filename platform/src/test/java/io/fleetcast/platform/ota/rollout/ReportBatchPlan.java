package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a report batch's database time goes: {@code EXPLAIN (ANALYZE, BUFFERS, WAL)} of the writer's
 * own statement with its own parameters, in a transaction that is rolled back.
 */
public final class ReportBatchPlan {

    private ReportBatchPlan() {}

    public static List<String> explain(Pool pool, String tenantId, UUID rollout, List<UUID> devices, OtaState state) {
        Map<ReportWriter.Key, ReportWriter.Report> batch = new HashMap<>();
        for (UUID device : devices) {
            batch.put(new ReportWriter.Key(rollout, device), new ReportWriter.Report(tenantId, 1, state, null));
        }
        List<String> plan = new ArrayList<>();
        return pool.withTransaction(connection -> connection
                        .preparedQuery("EXPLAIN (ANALYZE, BUFFERS, WAL) " + ReportWriter.APPLY)
                        .execute(ReportWriter.parameters(batch))
                        .invoke(rows -> rows.forEach(row -> plan.add(row.getString(0))))
                        .chain(() -> Uni.createFrom().<Void>failure(new RolledBack())))
                .onFailure(RolledBack.class)
                .recoverWithItem(() -> null)
                .map(ignored -> plan)
                .await()
                .indefinitely();
    }

    /** Fails the transaction on purpose, so that the explained batch leaves no change behind. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super("rolled back on purpose", null, false, false);
        }
    }
}
