package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;

/** Reads rows of {@code rollout_actions} into views. */
final class ActionRows {

    static final String SELECT = "SELECT device_id, group_no, state, attempt, cancel_requested, error_code,"
            + " notified_at, updated_at FROM rollout_actions";

    private ActionRows() {}

    static ActionView view(Row row) {
        OffsetDateTime notified = row.getOffsetDateTime("notified_at");
        return new ActionView(
                row.getUUID("device_id"),
                row.getShort("group_no"),
                OtaState.valueOf(row.getString("state")),
                row.getShort("attempt"),
                row.getBoolean("cancel_requested"),
                row.getString("error_code"),
                notified == null ? null : notified.toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
