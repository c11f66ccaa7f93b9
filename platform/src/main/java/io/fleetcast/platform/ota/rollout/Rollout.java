package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code rollouts}, with its spec decoded. */
record Rollout(
        UUID id,
        String tenantId,
        String name,
        RolloutState state,
        RolloutSpec spec,
        long totalDevices,
        long skippedDevices,
        long notifiedDevices,
        double rateTokens,
        Instant rateRefilledAt,
        long errorBaseline,
        long finishedBaseline,
        String pauseReason,
        String createdBy,
        String approvedBy,
        Instant createdAt,
        Instant startedAt,
        Instant updatedAt) {

    static final String COLUMNS =
            "id, tenant_id, name, state, spec::text AS spec, total_devices, skipped_devices, notified_devices,"
                    + " rate_tokens, rate_refilled_at, error_baseline, finished_baseline, pause_reason, created_by,"
                    + " approved_by, created_at, started_at, updated_at";

    static Rollout of(Row row, ObjectMapper json) {
        try {
            return new Rollout(
                    row.getUUID("id"),
                    row.getString("tenant_id"),
                    row.getString("name"),
                    RolloutState.valueOf(row.getString("state")),
                    json.readValue(row.getString("spec"), RolloutSpec.class),
                    row.getLong("total_devices"),
                    row.getLong("skipped_devices"),
                    row.getLong("notified_devices"),
                    row.getDouble("rate_tokens"),
                    instant(row.getOffsetDateTime("rate_refilled_at")),
                    row.getLong("error_baseline"),
                    row.getLong("finished_baseline"),
                    row.getString("pause_reason"),
                    row.getString("created_by"),
                    row.getString("approved_by"),
                    instant(row.getOffsetDateTime("created_at")),
                    instant(row.getOffsetDateTime("started_at")),
                    instant(row.getOffsetDateTime("updated_at")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored spec of rollout " + row.getUUID("id") + " does not decode: " + e.getOriginalMessage(), e);
        }
    }

    RolloutView view() {
        return new RolloutView(
                id,
                name,
                state,
                spec,
                totalDevices,
                skippedDevices,
                notifiedDevices,
                pauseReason,
                createdBy,
                approvedBy,
                createdAt,
                startedAt,
                updatedAt);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
