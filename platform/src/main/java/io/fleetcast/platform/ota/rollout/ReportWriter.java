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

    private static final String APPLY =
            """
            WITH r AS (
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::text[])
                    AS r(rollout_id, device_id, attempt, state, error_code, tenant_id)
            ), cur AS (
                SELECT a.rollout_id, a.device_id, a.state AS old_state, r.state AS new_state, r.error_code
                FROM r
                JOIN rollouts ro ON ro.id = r.rollout_id AND ro.tenant_id = r.tenant_id
                JOIN rollout_actions a ON a.rollout_id = r.rollout_id AND a.device_id = r.device_id
                                      AND a.attempt = r.attempt
                ORDER BY a.rollout_id, a.device_id
                FOR UPDATE OF a
            ), legal AS (
                SELECT * FROM unnest($7::text[], $8::text[]) AS l(old_state, new_state)
            ), moved AS (
                UPDATE rollout_actions a
                   SET state = c.new_state, updated_at = now(), error_code = coalesce(c.error_code, a.error_code)
                FROM cur c JOIN legal l ON l.old_state = c.old_state AND l.new_state = c.new_state
                WHERE a.rollout_id = c.rollout_id AND a.device_id = c.device_id AND c.old_state <> c.new_state
                RETURNING a.rollout_id, a.device_id
            )
            SELECT c.rollout_id, c.device_id, c.old_state, c.new_state, m.device_id IS NOT NULL AS moved
            FROM cur c LEFT JOIN moved m ON m.rollout_id = c.rollout_id AND m.device_id = c.device_id
            """;

    private static final String[] LEGAL_FROM =
            ActionStateMachine.reportPairs().stream().map(pair -> pair[0]).toArray(String[]::new);
    private static final String[] LEGAL_TO =
            ActionStateMachine.reportPairs().stream().map(pair -> pair[1]).toArray(String[]::new);

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
        int size = taken.size();
        UUID[] rollouts = new UUID[size];
        UUID[] devices = new UUID[size];
        Short[] attempts = new Short[size];
        String[] states = new String[size];
        String[] errors = new String[size];
        String[] tenants = new String[size];
        int i = 0;
        for (var entry : taken.entrySet()) {
            Report report = entry.getValue();
            rollouts[i] = entry.getKey().rolloutId();
            devices[i] = entry.getKey().deviceId();
            attempts[i] = (short) report.attempt();
            states[i] = report.state().name();
            errors[i] = report.errorCode();
            tenants[i] = report.tenantId();
            i++;
        }
        return pool.preparedQuery(APPLY)
                .execute(
                        Tuple.from(List.of(rollouts, devices, attempts, states, errors, tenants, LEGAL_FROM, LEGAL_TO)))
                .invoke(rows -> account(taken, rows))
                .onFailure()
                .invoke(failure -> taken.forEach((key, report) -> pending.merge(key, report, ReportWriter::furthest)))
                .replaceWithVoid();
    }

    private void account(Map<Key, Report> taken, RowSet<Row> rows) {
        long moved = 0;
        long illegal = 0;
        List<String> illegalExamples = new ArrayList<>();
        Map<Key, Boolean> matched = new HashMap<>(rows.size() * 2);
        for (Row row : rows) {
            Key key = new Key(row.getUUID("rollout_id"), row.getUUID("device_id"));
            matched.put(key, Boolean.TRUE);
            String from = row.getString("old_state");
            String to = row.getString("new_state");
            if (row.getBoolean("moved")) {
                moved++;
            } else if (!from.equals(to)) {
                illegal++;
                if (illegalExamples.size() < LOGGED_EXAMPLES) {
                    illegalExamples.add(key.deviceId() + " " + from + "->" + to + " rolloutId=" + key.rolloutId());
                }
            }
        }
        long unknown = 0;
        List<String> unknownExamples = new ArrayList<>();
        for (var entry : taken.entrySet()) {
            if (!matched.containsKey(entry.getKey())) {
                unknown++;
                if (unknownExamples.size() < LOGGED_EXAMPLES) {
                    unknownExamples.add(entry.getKey().deviceId() + " action "
                            + entry.getKey().rolloutId() + ":"
                            + entry.getValue().attempt() + " tenantId="
                            + entry.getValue().tenantId());
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
