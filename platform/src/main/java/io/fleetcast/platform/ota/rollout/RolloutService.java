package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.protocol.OtaState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
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
 * The operator's side of rollouts: create, read, approve, start, pause, resume, cancel. Every change
 * locks the rollout row, checks the state machine and records its audit event in the same
 * transaction. What happens over time (groups, thresholds, notifications) is {@link RolloutEngine}'s.
 */
@ApplicationScoped
public class RolloutService {

    public static final int MAX_PAGE = 1000;

    private static final Logger LOG = Logger.getLogger(RolloutService.class);

    private static final String IN_FLIGHT = inList(ActionStateMachine.IN_FLIGHT);

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Inject
    AuditLog audit;

    @Inject
    RolloutTargets targets;

    @Inject
    RolloutPopulator populator;

    @Inject
    Assignments assignments;

    @Inject
    Clock clock;

    public Uni<RolloutView> create(String tenantId, String actor, RolloutSpec request) {
        RolloutSpec spec = RolloutSpecs.validated(request);
        UUID id = Ids.newId();
        String specJson = encode(spec);
        return targets.selection(tenantId, spec.target())
                .chain(target -> pool.withTransaction(
                                connection -> requireFirmware(connection, tenantId, spec.version())
                                        .chain(() -> connection
                                                .preparedQuery(
                                                        """
                                        INSERT INTO rollouts (id, tenant_id, name, state, spec, created_by)
                                        VALUES ($1, $2, $3, 'CREATING', $4::text::jsonb, $5)
                                        """)
                                                .execute(Tuple.of(id, tenantId, spec.name(), specJson, actor)))
                                        .chain(() -> populator.populate(connection, id, spec, target))
                                        .call(populated -> connection
                                                .preparedQuery(
                                                        """
                                        UPDATE rollouts SET state = $2, total_devices = $3, skipped_devices = $4,
                                               updated_at = now()
                                        WHERE id = $1
                                        """)
                                                .execute(Tuple.of(
                                                        id,
                                                        (spec.approvalRequired()
                                                                        ? RolloutState.WAITING_FOR_APPROVAL
                                                                        : RolloutState.READY)
                                                                .name(),
                                                        populated.total(),
                                                        populated.skipped())))
                                        .call(populated -> audit.record(
                                                connection,
                                                new AuditEntry(
                                                        tenantId,
                                                        actor,
                                                        AuditAction.ROLLOUT_CREATED,
                                                        id.toString(),
                                                        AuditSummary.created(Map.of(
                                                                "name", spec.name(),
                                                                "version", spec.version(),
                                                                "devices", populated.total(),
                                                                "skipped", populated.skipped()))))))
                        .invoke(populated -> LOG.infof(
                                "Rollout created rolloutId=%s tenantId=%s version=%s devices=%d skipped=%d",
                                id, tenantId, spec.version(), populated.total(), populated.skipped())))
                .chain(() -> get(tenantId, id));
    }

    public Uni<RolloutView> get(String tenantId, UUID id) {
        return load(pool, tenantId, id, false).map(Rollout::view);
    }

    /** Newest first, keyset-paged by id. */
    public Uni<RolloutView.Page> list(String tenantId, RolloutState state, UUID before, int limit) {
        checkLimit(limit);
        return pool.preparedQuery("SELECT " + Rollout.COLUMNS
                        + " FROM rollouts WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2)"
                        + " AND ($3::uuid IS NULL OR id < $3) ORDER BY id DESC LIMIT $4")
                .execute(Tuple.of(tenantId, state == null ? null : state.name(), before, limit + 1))
                .map(rows -> {
                    List<RolloutView> items = new ArrayList<>();
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            return new RolloutView.Page(
                                    items, items.get(limit - 1).id().toString());
                        }
                        items.add(Rollout.of(row, json).view());
                    }
                    return new RolloutView.Page(items, null);
                });
    }

    public Uni<RolloutView> approve(String tenantId, String actor, UUID id) {
        return change(tenantId, actor, id, RolloutState.READY, AuditAction.ROLLOUT_APPROVED, (connection, rollout) -> {
            if (rollout.state() != RolloutState.WAITING_FOR_APPROVAL) {
                throw illegal(rollout, "approve");
            }
            return connection
                    .preparedQuery(
                            "UPDATE rollouts SET state = 'READY', approved_by = $2, updated_at = now() WHERE id = $1")
                    .execute(Tuple.of(id, actor))
                    .replaceWithVoid();
        });
    }

    public Uni<RolloutView> start(String tenantId, String actor, UUID id) {
        return change(
                tenantId, actor, id, RolloutState.STARTING, AuditAction.ROLLOUT_STARTED, (connection, rollout) -> {
                    if (rollout.state() != RolloutState.READY) {
                        throw illegal(rollout, "start");
                    }
                    return setState(connection, id, RolloutState.STARTING, null);
                });
    }

    public Uni<RolloutView> pause(String tenantId, String actor, UUID id) {
        return change(tenantId, actor, id, RolloutState.PAUSED, AuditAction.ROLLOUT_PAUSED, (connection, rollout) -> {
            if (rollout.state() != RolloutState.RUNNING) {
                throw illegal(rollout, "pause");
            }
            return setState(connection, id, RolloutState.PAUSED, "MANUAL");
        });
    }

    /**
     * Resumes a paused rollout. The error threshold counts from here on; when no group is still
     * working towards its success threshold, the next scheduled group starts.
     */
    public Uni<RolloutView> resume(String tenantId, String actor, UUID id) {
        return change(tenantId, actor, id, RolloutState.RUNNING, AuditAction.ROLLOUT_RESUMED, (connection, rollout) -> {
            if (rollout.state() != RolloutState.PAUSED) {
                throw illegal(rollout, "resume");
            }
            return connection
                    .preparedQuery(
                            """
                            UPDATE rollouts r SET state = 'RUNNING', pause_reason = NULL, updated_at = now(),
                                   error_baseline = coalesce((SELECT sum(n) FROM rollout_counts c
                                       WHERE c.rollout_id = r.id AND c.state = ANY($2)), 0),
                                   finished_baseline = coalesce((SELECT sum(n) FROM rollout_counts c
                                       WHERE c.rollout_id = r.id AND c.state = ANY($3)), 0)
                            WHERE r.id = $1
                            """)
                    .execute(Tuple.of(id, names(ActionStateMachine.ERRORS), doneStates(rollout.spec())))
                    .chain(() -> connection
                            .preparedQuery(
                                    """
                                    UPDATE rollout_groups SET state = 'RUNNING', started_at = $2
                                    WHERE rollout_id = $1 AND group_no = (
                                        SELECT min(group_no) FROM rollout_groups WHERE rollout_id = $1 AND state = 'SCHEDULED')
                                      AND NOT EXISTS (SELECT 1 FROM rollout_groups WHERE rollout_id = $1
                                                      AND state = 'RUNNING' AND succeeded_at IS NULL)
                                    """)
                            .execute(Tuple.of(id, now())))
                    .replaceWithVoid();
        });
    }

    /**
     * Cancels the rollout: devices not yet notified are canceled at once, devices in flight are told to
     * stop (now if connected here, else when they come back) and the rollout stays STOPPING until they
     * all ended.
     */
    public Uni<RolloutView> cancel(String tenantId, String actor, UUID id) {
        return change(
                tenantId, actor, id, RolloutState.STOPPING, AuditAction.ROLLOUT_CANCELED, (connection, rollout) -> {
                    if (!rollout.state().canMoveTo(RolloutState.STOPPING)) {
                        throw illegal(rollout, "cancel");
                    }
                    return connection
                            .preparedQuery("UPDATE rollout_actions SET state = 'CANCELED', phase = 'UNSUCCESSFUL',"
                                    + " updated_at = now() WHERE rollout_id = $1 AND phase = 'SCHEDULED'")
                            .execute(Tuple.of(id))
                            .chain(() -> connection
                                    .preparedQuery("UPDATE rollout_actions SET cancel_requested = true"
                                            + " WHERE rollout_id = $1 AND phase = 'SENT' AND state IN " + IN_FLIGHT)
                                    .execute(Tuple.of(id)))
                            .chain(inFlight -> setState(
                                    connection,
                                    id,
                                    inFlight.rowCount() == 0 ? RolloutState.STOPPED : RolloutState.STOPPING,
                                    null));
                });
    }

    /**
     * Cancels one device's action: not yet notified, it is canceled at once; in flight, the device is
     * told to stop and reports CANCELED (or how far it got).
     */
    public Uni<ActionView> cancelAction(String tenantId, String actor, UUID id, UUID deviceId) {
        return pool.withTransaction(
                        connection -> load(connection, tenantId, id, true).chain(rollout -> connection
                                .preparedQuery(
                                        """
                                        UPDATE rollout_actions a SET
                                               state = CASE WHEN a.state = 'SCHEDULED' THEN 'CANCELED' ELSE a.state END,
                                               phase = CASE WHEN a.state = 'SCHEDULED' THEN 'UNSUCCESSFUL' ELSE a.phase END,
                                               cancel_requested = a.state <> 'SCHEDULED', updated_at = now()
                                        FROM rollout_actions old
                                        WHERE a.rollout_id = $1 AND a.device_id = $2
                                          AND old.rollout_id = a.rollout_id AND old.device_id = a.device_id
                                          AND a.state IN ('SCHEDULED',
                                        """
                                                + IN_FLIGHT.substring(1)
                                                + " RETURNING old.state AS old_state, a.attempt")
                                .execute(Tuple.of(id, deviceId))
                                .chain(rows -> {
                                    if (rows.size() == 0) {
                                        return this.<Row>actionMissingOrDone(connection, id, deviceId);
                                    }
                                    Row row = rows.iterator().next();
                                    String oldState = row.getString("old_state");
                                    return audit.record(
                                                    connection,
                                                    new AuditEntry(
                                                            tenantId,
                                                            actor,
                                                            AuditAction.ROLLOUT_ACTION_CANCELED,
                                                            id.toString(),
                                                            new JsonObject()
                                                                    .put("deviceId", deviceId.toString())
                                                                    .put(
                                                                            "before",
                                                                            new JsonObject().put("state", oldState))))
                                            .replaceWith(row);
                                })))
                .invoke(row -> {
                    if (!"SCHEDULED".equals(row.getString("old_state"))) {
                        assignments.cancel(deviceId, id, row.getShort("attempt"));
                    }
                })
                .chain(() -> action(tenantId, id, deviceId));
    }

    public Uni<ActionView> action(String tenantId, UUID id, UUID deviceId) {
        return load(pool, tenantId, id, false)
                .chain(rollout -> pool.preparedQuery(ActionRows.SELECT + " WHERE rollout_id = $1 AND device_id = $2")
                        .execute(Tuple.of(id, deviceId)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("action of device", deviceId);
                    }
                    return ActionRows.view(rows.iterator().next());
                });
    }

    /** A page of actions in device id order, optionally in one state or group. */
    public Uni<ActionView.Page> actions(
            String tenantId, UUID id, OtaState state, Integer group, UUID after, int limit) {
        checkLimit(limit);
        return load(pool, tenantId, id, false)
                .chain(rollout -> pool.preparedQuery(ActionRows.SELECT
                                + " WHERE rollout_id = $1 AND ($2::text IS NULL OR state = $2)"
                                // A literal, so that the partial index of failures can serve the listing.
                                + (state != null && ActionStateMachine.UNSUCCESSFUL.contains(state)
                                        ? " AND phase = 'UNSUCCESSFUL'"
                                        : "")
                                + " AND ($3::smallint IS NULL OR group_no = $3)"
                                + " AND ($4::uuid IS NULL OR device_id > $4) ORDER BY device_id LIMIT $5")
                        .execute(Tuple.from(java.util.Arrays.asList(
                                id,
                                state == null ? null : state.name(),
                                group == null ? null : group.shortValue(),
                                after,
                                limit + 1))))
                .map(rows -> {
                    List<ActionView> items = new ArrayList<>();
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            return new ActionView.Page(
                                    items, items.get(limit - 1).deviceId().toString());
                        }
                        items.add(ActionRows.view(row));
                    }
                    return new ActionView.Page(items, null);
                });
    }

    public Uni<RolloutProgress> progress(String tenantId, UUID id) {
        return load(pool, tenantId, id, false).chain(rollout -> progress(rollout));
    }

    Uni<RolloutProgress> progress(Rollout rollout) {
        return pool.preparedQuery(
                        """
                        SELECT g.group_no, g.state AS group_state, c.state, coalesce(c.n, 0) AS n
                        FROM rollout_groups g
                        LEFT JOIN rollout_counts c ON c.rollout_id = g.rollout_id AND c.group_no = g.group_no AND c.n <> 0
                        WHERE g.rollout_id = $1 ORDER BY g.group_no
                        """)
                .execute(Tuple.of(rollout.id()))
                .map(rows -> RolloutProgresses.of(rollout, rows));
    }

    private <T> Uni<T> actionMissingOrDone(SqlConnection connection, UUID id, UUID deviceId) {
        return connection
                .preparedQuery("SELECT state FROM rollout_actions WHERE rollout_id = $1 AND device_id = $2")
                .execute(Tuple.of(id, deviceId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("action of device", deviceId);
                    }
                    throw (RuntimeException) ApiException.conflict(
                            "ACTION_FINISHED",
                            "the device's action is " + rows.iterator().next().getString("state")
                                    + " and can no longer be canceled");
                });
    }

    /** Locks the rollout, applies the change and records it with the before and after state. */
    private Uni<RolloutView> change(
            String tenantId,
            String actor,
            UUID id,
            RolloutState target,
            AuditAction action,
            java.util.function.BiFunction<SqlConnection, Rollout, Uni<Void>> apply) {
        return pool.withTransaction(connection -> load(connection, tenantId, id, true)
                        .call(rollout -> apply.apply(connection, rollout))
                        .call(rollout -> connection
                                .preparedQuery("SELECT state FROM rollouts WHERE id = $1")
                                .execute(Tuple.of(id))
                                .chain(rows -> audit.record(
                                        connection,
                                        new AuditEntry(
                                                tenantId,
                                                actor,
                                                action,
                                                id.toString(),
                                                AuditSummary.changed(
                                                        Map.of(
                                                                "state",
                                                                rollout.state().name()),
                                                        Map.of(
                                                                "state",
                                                                rows.iterator()
                                                                        .next()
                                                                        .getString("state"))))))))
                .invoke(rollout ->
                        LOG.infof("Rollout %s rolloutId=%s tenantId=%s by=%s", action.wireName(), id, tenantId, actor))
                .chain(() -> get(tenantId, id));
    }

    private Uni<Void> setState(SqlConnection connection, UUID id, RolloutState state, String pauseReason) {
        return connection
                .preparedQuery("UPDATE rollouts SET state = $2, pause_reason = $3, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, state.name(), pauseReason))
                .replaceWithVoid();
    }

    /** Fails with 422 UNKNOWN_FIRMWARE unless some model of the tenant has a full bundle of the version. */
    private Uni<Void> requireFirmware(SqlConnection connection, String tenantId, String version) {
        return connection
                .preparedQuery("SELECT 1 FROM firmware_bundles WHERE tenant_id = $1 AND version = $2"
                        + " AND base_version IS NULL LIMIT 1")
                .execute(Tuple.of(tenantId, version))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.unprocessable(
                                "UNKNOWN_FIRMWARE", "no full bundle of version " + version + " has been published");
                    }
                    return null;
                });
    }

    Uni<Rollout> load(io.vertx.mutiny.sqlclient.SqlClient client, String tenantId, UUID id, boolean lock) {
        return client.preparedQuery("SELECT " + Rollout.COLUMNS + " FROM rollouts WHERE tenant_id = $1 AND id = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(tenantId, id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("rollout", id);
                    }
                    return Rollout.of(rows.iterator().next(), json);
                });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private String encode(RolloutSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException illegal(Rollout rollout, String command) {
        return ApiException.conflict(
                "ILLEGAL_STATE_CHANGE", "cannot " + command + " a rollout that is " + rollout.state());
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be between 1 and " + MAX_PAGE);
        }
    }

    static String[] names(Set<OtaState> states) {
        return states.stream().map(Enum::name).toArray(String[]::new);
    }

    static String[] doneStates(RolloutSpec spec) {
        Set<OtaState> done = EnumSet.noneOf(OtaState.class);
        for (OtaState state : OtaState.values()) {
            if (ActionStateMachine.isDone(state, spec.isDownloadOnly())) {
                done.add(state);
            }
        }
        return names(done);
    }

    /** {@code ('A', 'B')} for constant state lists in SQL; names come from the enum, never from input. */
    static String inList(Set<OtaState> states) {
        return "("
                + String.join(
                        ", ", states.stream().map(s -> "'" + s.name() + "'").toList()) + ")";
    }
}
