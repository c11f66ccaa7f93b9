package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.platform.ota.OtaConfig;
import io.fleetcast.protocol.OtaState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Writes device reports to their actions in batches: one UPDATE ... FROM unnest(...) per batch of up
 * to {@code reportBatchSize} reports, which also applies the state machine (only legal moves are
 * written, see {@link ActionStateMachine#reportPairs()}) and tells which reports were illegal or
 * matched no action. Each action keeps at most one pending report, the furthest along, so memory is
 * bounded by the actions in flight and a burst of progress reports costs one row.
 *
 * <p>{@link #accept} is called from event loops and never blocks.
 */
@ApplicationScoped
public class ReportWriter {

    private static final Logger LOG = Logger.getLogger(ReportWriter.class);

    /** Example ids logged per flush for illegal and unknown reports; the counts cover the rest. */
    private static final int LOGGED_EXAMPLES = 5;

    /**
     * One statement per batch. The UPDATE checks legality in its own WHERE: under READ COMMITTED,
     * when another transaction changed a row meanwhile, PostgreSQL evaluates the WHERE again on the
     * newest version before writing, so no separate row lock (one more tuple and WAL write per
     * report) is needed to stay race-free. A report changes state, updated_at and error_code, none
     * of them indexed, and phase only when the action ends badly, so the update is HOT (see V7).
     * The final SELECT returns only the reports that did not move, with their current state from
     * the statement's snapshot: few, unless devices repeat themselves. It is a subquery per such
     * report (a primary key probe), so the planner cannot choose to scan the whole table for a
     * join when it cannot tell how many rows the UPDATE leaves.
     */
    static final String APPLY =
            """
            WITH r AS (
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[])
                    AS r(rollout_id, device_id, attempt, state, error_code, tenant_id, phase)
            ), moved AS (
                UPDATE rollout_actions a
                   SET state = r.state, phase = coalesce(r.phase, a.phase), updated_at = now(),
                       error_code = coalesce(r.error_code, a.error_code)
                FROM r JOIN rollouts ro ON ro.id = r.rollout_id AND ro.tenant_id = r.tenant_id
                WHERE a.rollout_id = r.rollout_id AND a.device_id = r.device_id AND a.attempt = r.attempt
                  AND a.state <> r.state AND (a.state || '>' || r.state) = ANY($8::text[])
                RETURNING a.rollout_id, a.device_id
            )
            SELECT r.rollout_id, r.device_id, r.state AS new_state,
                   (SELECT a.state FROM rollout_actions a JOIN rollouts ro ON ro.id = a.rollout_id
                    WHERE a.rollout_id = r.rollout_id AND a.device_id = r.device_id AND a.attempt = r.attempt
                      AND ro.tenant_id = r.tenant_id) AS old_state
            FROM r
            WHERE NOT EXISTS (SELECT 1 FROM moved m WHERE m.rollout_id = r.rollout_id AND m.device_id = r.device_id)
            """;

    /** Every legal report move as "FROM>TO", so that the database applies exactly this rule. */
    private static final String[] LEGAL = ActionStateMachine.reportPairs().stream()
            .map(pair -> pair[0] + ">" + pair[1])
            .toArray(String[]::new);

    /**
     * PostgreSQL's uuid order (unsigned bytes); a batch in key order touches the primary key and the
     * heap (written in key order) page after page, and concurrent batches lock rows in one order.
     */
    static final Comparator<Key> KEY_ORDER = (a, b) -> {
        int c = Long.compareUnsigned(
                a.rolloutId().getMostSignificantBits(), b.rolloutId().getMostSignificantBits());
        if (c == 0) {
            c = Long.compareUnsigned(
                    a.rolloutId().getLeastSignificantBits(), b.rolloutId().getLeastSignificantBits());
        }
        if (c == 0) {
            c = Long.compareUnsigned(
                    a.deviceId().getMostSignificantBits(), b.deviceId().getMostSignificantBits());
        }
        if (c == 0) {
            c = Long.compareUnsigned(
                    a.deviceId().getLeastSignificantBits(), b.deviceId().getLeastSignificantBits());
        }
        return c;
    };

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    OtaConfig config;

    @Inject
    OtaMetrics metrics;

    /** A report waiting to be written. */
    public record Report(String tenantId, int attempt, OtaState state, String errorCode) {}

    record Key(UUID rolloutId, UUID deviceId) {}

    private final Map<Key, Report> pending = new ConcurrentHashMap<>();
    private final AtomicInteger writing = new AtomicInteger();
    private long timerId = -1;

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(config.reportFlushIntervalMillis(), id -> flush());
    }

    /** Writes what is pending before the node stops. */
    void onStop(@Observes @Priority(ShutdownOrder.ACTIVITY) ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        for (int i = 0; i < 100 && !pending.isEmpty(); i++) {
            write().await().atMost(Duration.ofSeconds(10));
        }
    }

    /**
     * Queues a report. A newer attempt replaces an older one's report; within an attempt the report
     * furthest along wins, and a terminal report is never replaced.
     *
     * @return false when too many reports wait already (the report is dropped and counted)
     */
    public boolean accept(UUID rolloutId, UUID deviceId, Report report) {
        if (pending.size() >= config.maxPendingReports()) {
            metrics.reportDropped();
            return false;
        }
        pending.merge(new Key(rolloutId, deviceId), report, ReportWriter::furthest);
        return true;
    }

    /** Reports waiting to be written. */
    public int pending() {
        return pending.size();
    }

    static Report furthest(Report old, Report next) {
        if (next.attempt() != old.attempt()) {
            return next.attempt() > old.attempt() ? next : old;
        }
        if (old.state().terminal()) {
            return old;
        }
        return next.state().terminal() || next.state().ordinal() >= old.state().ordinal() ? next : old;
    }

    /**
     * Starts batches while reports wait and fewer than {@code reportWriters} batches are being
     * written; each finished batch starts the next one at once while full batches wait.
     */
    void flush() {
        while (!pending.isEmpty()) {
            int current = writing.get();
            if (current >= config.reportWriters() || !writing.compareAndSet(current, current + 1)) {
                if (current >= config.reportWriters()) {
                    return;
                }
                continue;
            }
            write().subscribe()
                    .with(
                            written -> {
                                writing.decrementAndGet();
                                if (pending.size() >= config.reportBatchSize()) {
                                    flush();
                                }
                            },
                            failure -> {
                                LOG.error("Writing OTA reports failed; will retry", failure);
                                writing.decrementAndGet();
                            });
            if (pending.size() < config.reportBatchSize()) {
                return;
            }
        }
    }

    /** Writes one batch; a failed batch is put back unless newer reports arrived meanwhile. */
    Uni<Void> write() {
        Map<Key, Report> taken = drain();
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(APPLY)
                .execute(parameters(taken))
                .invoke(rows -> account(taken, rows))
                .onFailure()
                .invoke(failure -> taken.forEach((key, report) -> pending.merge(key, report, ReportWriter::furthest)))
                .replaceWithVoid();
    }

    /** The statement's parameters for a batch, in key order. */
    static Tuple parameters(Map<Key, Report> taken) {
        int size = taken.size();
        UUID[] rollouts = new UUID[size];
        UUID[] devices = new UUID[size];
        Short[] attempts = new Short[size];
        String[] states = new String[size];
        String[] errors = new String[size];
        String[] tenants = new String[size];
        String[] phases = new String[size];
        List<Key> keys = new ArrayList<>(taken.keySet());
        keys.sort(KEY_ORDER);
        int i = 0;
        for (Key key : keys) {
            Report report = taken.get(key);
            rollouts[i] = key.rolloutId();
            devices[i] = key.deviceId();
            attempts[i] = (short) report.attempt();
            states[i] = report.state().name();
            errors[i] = report.errorCode();
            tenants[i] = report.tenantId();
            phases[i] = ActionStateMachine.phaseAfterReport(report.state());
            i++;
        }
        return Tuple.from(List.of(rollouts, devices, attempts, states, errors, tenants, phases, LEGAL));
    }

    private void account(Map<Key, Report> taken, RowSet<Row> rows) {
        // Rows are the reports that did not move: a repeat of the current state, an illegal move, or
        // no action of that attempt in a rollout of that tenant (old_state NULL).
        long moved = taken.size() - rows.size();
        long illegal = 0;
        long unknown = 0;
        List<String> illegalExamples = new ArrayList<>();
        List<String> unknownExamples = new ArrayList<>();
        for (Row row : rows) {
            Key key = new Key(row.getUUID("rollout_id"), row.getUUID("device_id"));
            String from = row.getString("old_state");
            String to = row.getString("new_state");
            if (from == null) {
                unknown++;
                if (unknownExamples.size() < LOGGED_EXAMPLES) {
                    Report report = taken.get(key);
                    unknownExamples.add(key.deviceId() + " action " + key.rolloutId() + ":" + report.attempt()
                            + " tenantId=" + report.tenantId());
                }
            } else if (!from.equals(to)) {
                illegal++;
                if (illegalExamples.size() < LOGGED_EXAMPLES) {
                    illegalExamples.add(key.deviceId() + " " + from + "->" + to + " rolloutId=" + key.rolloutId());
                }
            }
        }
        if (illegal > 0) {
            LOG.warnf("Refused %d illegal OTA state transitions, e.g. %s", illegal, illegalExamples);
        }
        if (unknown > 0) {
            LOG.infof(
                    "Ignored %d OTA reports for unknown actions or other tenants' rollouts, e.g. %s",
                    unknown, unknownExamples);
        }
        metrics.reports(moved, illegal, unknown);
    }

    private Map<Key, Report> drain() {
        Map<Key, Report> taken = new HashMap<>();
        for (var entry : pending.entrySet()) {
            if (taken.size() == config.reportBatchSize()) {
                break;
            }
            if (pending.remove(entry.getKey(), entry.getValue())) {
                taken.put(entry.getKey(), entry.getValue());
            }
        }
        return taken;
    }
}
