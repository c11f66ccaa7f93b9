package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.device.PlatformNode;
import io.fleetcast.platform.ota.OtaConfig;
import io.fleetcast.protocol.OtaState;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Moves rollouts forward in time. One tick visits every active rollout; for each it locks the rollout
 * row (nodes take turns; a rollout another node is ticking is skipped) and, in one transaction: starts
 * it when due, times out stuck devices, schedules retries, evaluates thresholds from the counters,
 * opens and closes groups, and marks the next devices as notified under the rate limit and the
 * maintenance window. After the commit it sends the assignments to those devices, which are the ones
 * connected to this node. Every step is one set-based statement, whatever the rollout's size.
 *
 * <p>The time is a parameter: production passes the clock's time, tests drive ticks with any time
 * they like.
 */
@ApplicationScoped
public class RolloutEngine {

    private static final Logger LOG = Logger.getLogger(RolloutEngine.class);

    static final String PLATFORM_ACTOR = "platform";

    private static final String NOTIFY =
            """
            WITH picked AS (
                SELECT a.rollout_id, a.device_id, d.model_id, d.firmware_version
                FROM rollout_actions a JOIN devices d ON d.id = a.device_id
                WHERE a.rollout_id = $1 AND a.phase = 'SCHEDULED' AND a.group_no = ANY($2::smallint[])
                  AND (a.not_before IS NULL OR a.not_before <= $3) AND d.online AND d.node_id = $4
                ORDER BY a.group_no, a.device_id
                LIMIT $5
                FOR UPDATE OF a SKIP LOCKED
            ), chosen AS (
                SELECT p.rollout_id, p.device_id, coalesce(
                    (SELECT b.id FROM firmware_bundles b WHERE b.tenant_id = $6 AND b.model_id = p.model_id
                        AND b.version = $7 AND b.base_version = p.firmware_version),
                    (SELECT b.id FROM firmware_bundles b WHERE b.tenant_id = $6 AND b.model_id = p.model_id
                        AND b.version = $7 AND b.base_version IS NULL)) AS bundle_id
                FROM picked p
            )
            UPDATE rollout_actions a
               SET state = 'NOTIFIED', phase = 'SENT', notified_at = $3, updated_at = $3, bundle_id = c.bundle_id
            FROM chosen c JOIN firmware_bundles b ON b.id = c.bundle_id
            WHERE a.rollout_id = c.rollout_id AND a.device_id = c.device_id
            RETURNING a.device_id, a.attempt, b.sha256, b.size, b.base_version
            """;

    private static final String SEND_CANCELS =
            """
            UPDATE rollout_actions a SET cancel_sent_at = $3
            FROM (SELECT x.rollout_id, x.device_id FROM rollout_actions x JOIN devices d ON d.id = x.device_id
                  WHERE x.rollout_id = $1 AND x.cancel_requested AND x.cancel_sent_at IS NULL AND x.state IN %s
                    AND d.online AND d.node_id = $2
                  LIMIT $4) s
            WHERE a.rollout_id = s.rollout_id AND a.device_id = s.device_id
            RETURNING a.device_id, a.attempt
            """
                    .formatted(RolloutService.inList(ActionStateMachine.IN_FLIGHT));

    private static final String RETRY =
            """
            UPDATE rollout_actions
               SET state = 'SCHEDULED', phase = 'SCHEDULED', attempt = attempt + 1, notified_at = NULL, cancel_sent_at = NULL,
                   not_before = $2::timestamptz + make_interval(secs => least($3::int * power(2, attempt - 1), 86400)), updated_at = $2
            WHERE rollout_id = $1 AND phase = 'UNSUCCESSFUL' AND state IN ('FAILED', 'TIMED_OUT') AND attempt <= $4::int
              AND NOT cancel_requested
            """;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Inject
    AuditLog audit;

    @Inject
    OtaConfig config;

    @Inject
    PlatformNode node;

    @Inject
    Assignments assignments;

    @Inject
    RolloutTargets targets;

    @Inject
    RolloutPopulator populator;

    @Inject
    OtaMetrics metrics;

    /** Visits every active rollout once. */
    public Uni<Void> tick(Instant now) {
        return pool.preparedQuery("SELECT id FROM rollouts WHERE state = ANY($1) ORDER BY id")
                .execute(Tuple.of(
                        (Object) RolloutState.ACTIVE.stream().map(Enum::name).toArray(String[]::new)))
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getUUID("id"))
                .onItem()
                .transformToUniAndConcatenate(id -> tick(id, now).onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "Rollout tick failed rolloutId=%s; next tick retries", id);
                    return null;
                }))
                .collect()
                .last()
                .chain(() -> refreshGauges());
    }

    /** One rollout's tick; see the class comment. */
    public Uni<Void> tick(UUID rolloutId, Instant now) {
        List<Runnable> sends = new ArrayList<>();
        return pool.withTransaction(connection -> connection
                        .preparedQuery(
                                "SELECT " + Rollout.COLUMNS + " FROM rollouts WHERE id = $1 FOR UPDATE SKIP LOCKED")
                        .execute(Tuple.of(rolloutId))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().voidItem();
                            }
                            Rollout rollout = Rollout.of(rows.iterator().next(), json);
                            return step(connection, rollout, now, sends);
                        }))
                .invoke(() -> sends.forEach(Runnable::run));
    }

    private Uni<Void> step(SqlConnection connection, Rollout rollout, Instant now, List<Runnable> sends) {
        RolloutSpec spec = rollout.spec();
        return switch (rollout.state()) {
            case READY -> spec.startAt() != null && !now.isBefore(spec.startAt())
                    ? moveTo(connection, rollout, RolloutState.STARTING, null, now)
                    : Uni.createFrom().voidItem();
            case STARTING -> spec.startAt() == null || !now.isBefore(spec.startAt())
                    ? begin(connection, rollout, now)
                    : Uni.createFrom().voidItem();
            case RUNNING -> addLateDevices(connection, rollout)
                    .chain(() -> timeOut(connection, rollout, now))
                    .chain(() -> retry(connection, rollout, now))
                    .chain(() -> sendCancels(connection, rollout, now, sends))
                    .chain(() -> evaluate(connection, rollout, now))
                    .chain(state -> state == RolloutState.RUNNING
                            ? notify(connection, rollout, now, sends)
                            : Uni.createFrom().voidItem());
            case PAUSED -> timeOut(connection, rollout, now)
                    .chain(() -> retry(connection, rollout, now))
                    .chain(() -> sendCancels(connection, rollout, now, sends));
            case STOPPING -> timeOut(connection, rollout, now)
                    .chain(() -> sendCancels(connection, rollout, now, sends))
                    .chain(() -> stopIfQuiet(connection, rollout, now));
            default -> Uni.createFrom().voidItem();
        };
    }

    /** STARTING to RUNNING: every group is scheduled and the first one runs. */
    private Uni<Void> begin(SqlConnection connection, Rollout rollout, Instant now) {
        double capacity = RateRamp.capacity(RateRamp.perMinute(rollout.spec().rate(), 0, 0));
        return connection
                .preparedQuery(
                        """
                        UPDATE rollout_groups SET state = CASE WHEN group_no = 1 THEN 'RUNNING' ELSE 'SCHEDULED' END,
                               started_at = CASE WHEN group_no = 1 THEN $2::timestamptz END
                        WHERE rollout_id = $1
                        """)
                .execute(Tuple.of(rollout.id(), time(now)))
                .chain(() -> connection
                        .preparedQuery("UPDATE rollouts SET started_at = $2, rate_tokens = $3, rate_refilled_at = $2"
                                + " WHERE id = $1")
                        .execute(Tuple.of(rollout.id(), time(now), Double.isInfinite(capacity) ? 0.0 : capacity)))
                .chain(() -> moveTo(connection, rollout, RolloutState.RUNNING, null, now));
    }

    private Uni<Void> addLateDevices(SqlConnection connection, Rollout rollout) {
        if (!rollout.spec().isDynamic()) {
            return Uni.createFrom().voidItem();
        }
        int lastGroup = rollout.spec().groups().size();
        return targets.selection(rollout.tenantId(), rollout.spec().target())
                .chain(target -> populator.addLateDevices(
                        connection,
                        rollout.id(),
                        rollout.spec(),
                        target,
                        lastGroup,
                        config.maxDynamicAdditionsPerTick()))
                .chain(added -> added == 0
                        ? Uni.createFrom().voidItem()
                        : connection
                                .preparedQuery("UPDATE rollouts SET total_devices = total_devices + $2 WHERE id = $1")
                                .execute(Tuple.of(rollout.id(), added))
                                .invoke(() -> LOG.infof(
                                        "Dynamic rollout took %d more devices rolloutId=%s", added, rollout.id()))
                                .replaceWithVoid());
    }

    /**
     * In-flight actions past the in-progress timeout end as TIMED_OUT. A device waiting for the
     * viewer's consent is not timed out (it may wait for days); in a download-only rollout a
     * downloaded device is done.
     *
     * <p>Reports leave a success in phase SENT (so that they change no indexed column); the sweep
     * puts the successes it meets aside (SETTLED), so each is visited once. A report that lands
     * while the sweep runs is seen: under READ COMMITTED the WHERE and the CASEs are evaluated again
     * on the newest row version.
     */
    private Uni<Void> timeOut(SqlConnection connection, Rollout rollout, Instant now) {
        Integer minutes = rollout.spec().inProgressTimeoutMinutes();
        if (minutes == null) {
            return Uni.createFrom().voidItem();
        }
        Set<OtaState> timed = EnumSet.copyOf(ActionStateMachine.IN_FLIGHT);
        timed.remove(OtaState.WAITING_CONSENT);
        if (rollout.spec().isDownloadOnly()) {
            timed.remove(OtaState.DOWNLOADED);
        }
        return connection
                .preparedQuery(
                        """
                        WITH swept AS (
                            UPDATE rollout_actions SET
                                   state = CASE WHEN state IN %1$s THEN 'TIMED_OUT' ELSE state END,
                                   phase = CASE WHEN state IN %1$s THEN 'UNSUCCESSFUL' ELSE 'SETTLED' END,
                                   error_code = CASE WHEN state IN %1$s THEN 'TIMEOUT' ELSE error_code END,
                                   updated_at = CASE WHEN state IN %1$s THEN $2 ELSE updated_at END
                            WHERE rollout_id = $1 AND phase = 'SENT' AND notified_at < $3
                              AND (state IN %1$s OR state = 'SUCCEEDED')
                            RETURNING state
                        )
                        SELECT count(*) FILTER (WHERE state = 'TIMED_OUT') AS timed_out FROM swept
                        """
                                .formatted(RolloutService.inList(timed)))
                .execute(Tuple.of(rollout.id(), time(now), time(now.minus(Duration.ofMinutes(minutes)))))
                .invoke(rows -> {
                    long timedOut = rows.iterator().next().getLong("timed_out");
                    if (timedOut > 0) {
                        LOG.infof("Timed out %d devices rolloutId=%s", timedOut, rollout.id());
                    }
                })
                .replaceWithVoid();
    }

    /** Failed and timed-out actions with attempts left go back to SCHEDULED after an exponential backoff. */
    private Uni<Void> retry(SqlConnection connection, Rollout rollout, Instant now) {
        RolloutSpec.RetrySpec retries = rollout.spec().retries();
        if (retries == null) {
            return Uni.createFrom().voidItem();
        }
        return connection
                .preparedQuery(RETRY)
                .execute(Tuple.of(rollout.id(), time(now), retries.backoffSeconds(), retries.max()))
                .replaceWithVoid();
    }

    private Uni<Void> sendCancels(SqlConnection connection, Rollout rollout, Instant now, List<Runnable> sends) {
        return connection
                .preparedQuery(SEND_CANCELS)
                .execute(Tuple.of(rollout.id(), node.id(), time(now), config.maxNotificationsPerTick()))
                .invoke(rows -> {
                    for (Row row : rows) {
                        UUID device = row.getUUID("device_id");
                        int attempt = row.getShort("attempt");
                        sends.add(() -> assignments.cancel(device, rollout.id(), attempt));
                    }
                })
                .replaceWithVoid();
    }

    /** Applies the thresholds' decision; answers the rollout's state afterwards. */
    private Uni<RolloutState> evaluate(SqlConnection connection, Rollout rollout, Instant now) {
        return connection
                .preparedQuery("SELECT group_no, state, succeeded_at IS NOT NULL AS succeeded FROM rollout_groups"
                        + " WHERE rollout_id = $1 ORDER BY group_no")
                .execute(Tuple.of(rollout.id()))
                .chain(groupRows -> connection
                        .preparedQuery("SELECT group_no, state, n FROM rollout_counts WHERE rollout_id = $1 AND n <> 0")
                        .execute(Tuple.of(rollout.id()))
                        .chain(countRows -> {
                            List<Thresholds.Group> groups = groups(groupRows);
                            ActionCounts counts = counts(countRows);
                            Thresholds.Decision decision = Thresholds.evaluate(
                                    rollout.spec(),
                                    groups,
                                    counts,
                                    rollout.errorBaseline(),
                                    rollout.finishedBaseline());
                            return apply(connection, rollout, decision, now)
                                    .replaceWith(
                                            decision.rolloutState() == null
                                                    ? RolloutState.RUNNING
                                                    : decision.rolloutState());
                        }));
    }

    private Uni<Void> apply(SqlConnection connection, Rollout rollout, Thresholds.Decision decision, Instant now) {
        if (decision.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!decision.succeeded().isEmpty()) {
            Short[] succeeded =
                    decision.succeeded().stream().map(Integer::shortValue).toArray(Short[]::new);
            chain = chain.chain(() -> connection
                    .preparedQuery("UPDATE rollout_groups SET succeeded_at = $3 WHERE rollout_id = $1"
                            + " AND group_no = ANY($2::smallint[])")
                    .execute(Tuple.of(rollout.id(), succeeded, time(now)))
                    .replaceWithVoid());
        }
        for (Map.Entry<Integer, GroupState> change : decision.groupStates().entrySet()) {
            chain = chain.chain(() -> connection
                    .preparedQuery(
                            """
                            UPDATE rollout_groups SET state = $3,
                                   started_at = CASE WHEN $3 = 'RUNNING' THEN $4::timestamptz ELSE started_at END,
                                   finished_at = CASE WHEN $3 IN ('FINISHED', 'ERROR') THEN $4::timestamptz ELSE finished_at END
                            WHERE rollout_id = $1 AND group_no = $2
                            """)
                    .execute(Tuple.of(
                            rollout.id(),
                            change.getKey().shortValue(),
                            change.getValue().name(),
                            time(now)))
                    .invoke(() -> LOG.infof(
                            "Rollout group %d %s rolloutId=%s", change.getKey(), change.getValue(), rollout.id()))
                    .replaceWithVoid());
        }
        if (decision.rolloutState() != null) {
            chain = chain.chain(
                    () -> moveTo(connection, rollout, decision.rolloutState(), decision.pauseReason(), now));
        }
        return chain;
    }

    /**
     * Marks up to the rate limit's budget of scheduled devices of running groups as NOTIFIED (only
     * devices connected to this node: the others get theirs when they are) and queues their sends.
     */
    private Uni<Void> notify(SqlConnection connection, Rollout rollout, Instant now, List<Runnable> sends) {
        RolloutSpec spec = rollout.spec();
        MaintenanceWindow window = RolloutSpecs.window(spec.maintenanceWindow());
        if (window != null && !window.isOpen(now)) {
            return Uni.createFrom().voidItem();
        }
        return connection
                .preparedQuery(
                        """
                        SELECT array_agg(g.group_no) AS running,
                               (SELECT coalesce(sum(n), 0) FROM rollout_counts c WHERE c.rollout_id = $1
                                  AND c.state = 'SUCCEEDED') AS succeeded
                        FROM rollout_groups g WHERE g.rollout_id = $1 AND g.state = 'RUNNING'
                        """)
                .execute(Tuple.of(rollout.id()))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    Object[] running = row.getArrayOfShorts("running");
                    if (running == null || running.length == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    double perMinute =
                            RateRamp.perMinute(spec.rate(), rollout.notifiedDevices(), row.getLong("succeeded"));
                    double tokens = Double.isInfinite(perMinute)
                            ? 0
                            : rollout.rateRefilledAt() == null
                                    ? RateRamp.capacity(perMinute)
                                    : RateRamp.refill(
                                            rollout.rateTokens(),
                                            perMinute,
                                            Duration.between(rollout.rateRefilledAt(), now)
                                                            .toMillis()
                                                    / 1000.0);
                    int budget = Double.isInfinite(perMinute)
                            ? config.maxNotificationsPerTick()
                            : (int) Math.min(Math.floor(tokens), config.maxNotificationsPerTick());
                    Uni<RowSet<Row>> picked = budget <= 0
                            ? Uni.createFrom().nullItem()
                            : connection
                                    .preparedQuery(NOTIFY)
                                    .execute(Tuple.from(List.of(
                                            rollout.id(),
                                            running,
                                            time(now),
                                            node.id(),
                                            budget,
                                            rollout.tenantId(),
                                            spec.version())));
                    return picked.chain(notified -> {
                        int count = notified == null ? 0 : notified.rowCount();
                        if (notified != null) {
                            for (Row action : notified) {
                                Assignments.Pending pending = new Assignments.Pending(
                                        action.getUUID("device_id"),
                                        rollout.id(),
                                        action.getShort("attempt"),
                                        action.getString("sha256"),
                                        action.getLong("size"),
                                        action.getString("base_version"));
                                sends.add(() -> assignments.send(pending, spec));
                            }
                        }
                        return connection
                                .preparedQuery("UPDATE rollouts SET rate_tokens = $2, rate_refilled_at = $3,"
                                        + " notified_devices = notified_devices + $4 WHERE id = $1")
                                .execute(Tuple.of(rollout.id(), Math.max(0, tokens - count), time(now), count))
                                .replaceWithVoid();
                    });
                });
    }

    /**
     * STOPPING to STOPPED once no device is in flight any more. The counters tell (they are exact and
     * in the same snapshot), where a scan of sent actions would also walk every success.
     */
    private Uni<Void> stopIfQuiet(SqlConnection connection, Rollout rollout, Instant now) {
        return connection
                .preparedQuery("SELECT coalesce(sum(n), 0) > 0 AS busy FROM rollout_counts WHERE rollout_id = $1"
                        + " AND state IN " + RolloutService.inList(ActionStateMachine.IN_FLIGHT))
                .execute(Tuple.of(rollout.id()))
                .chain(rows -> rows.iterator().next().getBoolean("busy")
                        ? Uni.createFrom().voidItem()
                        : moveTo(connection, rollout, RolloutState.STOPPED, null, now));
    }

    private Uni<Void> moveTo(
            SqlConnection connection, Rollout rollout, RolloutState state, String pauseReason, Instant now) {
        if (!rollout.state().canMoveTo(state)) {
            throw new IllegalStateException(
                    "rollout " + rollout.id() + " cannot move from " + rollout.state() + " to " + state);
        }
        LOG.infof(
                "Rollout %s -> %s%s rolloutId=%s tenantId=%s",
                rollout.state(),
                state,
                pauseReason == null ? "" : " (" + pauseReason + ")",
                rollout.id(),
                rollout.tenantId());
        return connection
                .preparedQuery("UPDATE rollouts SET state = $2, pause_reason = $3, updated_at = $4 WHERE id = $1")
                .execute(Tuple.of(rollout.id(), state.name(), pauseReason, time(now)))
                .chain(() -> audit.record(
                        connection,
                        new AuditEntry(
                                rollout.tenantId(),
                                PLATFORM_ACTOR,
                                AuditAction.ROLLOUT_STATE_CHANGED,
                                rollout.id().toString(),
                                withReason(
                                        AuditSummary.changed(
                                                Map.of("state", rollout.state().name()), Map.of("state", state.name())),
                                        pauseReason))));
    }

    private Uni<Void> refreshGauges() {
        return pool.query("SELECT state, count(*) AS n FROM rollouts GROUP BY state")
                .execute()
                .invoke(rows -> {
                    Map<RolloutState, Long> counts = new java.util.EnumMap<>(RolloutState.class);
                    rows.forEach(row -> counts.put(RolloutState.valueOf(row.getString("state")), row.getLong("n")));
                    metrics.rolloutStates(counts);
                })
                .chain(() -> pool.query(
                                """
                                SELECT c.state, sum(c.n)::bigint AS n FROM rollout_counts c
                                JOIN rollouts r ON r.id = c.rollout_id
                                WHERE r.state IN ('RUNNING', 'PAUSED', 'STOPPING') GROUP BY c.state
                                """)
                        .execute())
                .invoke(rows -> {
                    Map<OtaState, Long> counts = new java.util.EnumMap<>(OtaState.class);
                    rows.forEach(row -> counts.put(OtaState.valueOf(row.getString("state")), row.getLong("n")));
                    metrics.actionStates(counts);
                })
                .replaceWithVoid();
    }

    private static io.vertx.core.json.JsonObject withReason(io.vertx.core.json.JsonObject summary, String reason) {
        return reason == null ? summary : summary.put("reason", reason);
    }

    private static List<Thresholds.Group> groups(RowSet<Row> rows) {
        List<Thresholds.Group> groups = new ArrayList<>();
        for (Row row : rows) {
            groups.add(new Thresholds.Group(
                    row.getShort("group_no"), GroupState.valueOf(row.getString("state")), row.getBoolean("succeeded")));
        }
        return groups;
    }

    private static ActionCounts counts(RowSet<Row> rows) {
        ActionCounts counts = new ActionCounts();
        for (Row row : rows) {
            counts.add(row.getShort("group_no"), OtaState.valueOf(row.getString("state")), row.getLong("n"));
        }
        return counts;
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
