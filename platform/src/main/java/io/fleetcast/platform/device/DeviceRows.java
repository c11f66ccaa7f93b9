package io.fleetcast.platform.device;

import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** Maps rows selected with {@link DeviceQuery#COLUMNS} to views. */
final class DeviceRows {

    private DeviceRows() {}

    static DeviceView view(Row row) {
        DeviceStatus status = !row.getBoolean("enabled")
                ? DeviceStatus.DISABLED
                : row.getBoolean("provisioned") ? DeviceStatus.ACTIVE : DeviceStatus.PREREGISTERED;
        return new DeviceView(
                row.getUUID("id"),
                row.getString("serial"),
                row.getString("model"),
                status,
                row.getBoolean("online"),
                instant(row.getOffsetDateTime("last_seen")),
                row.getString("last_disconnect_reason"),
                row.getString("firmware_version"),
                row.getString("active_slot"),
                tags(row.getArrayOfStrings("tags")),
                row.getString("region"),
                reported(row.getJsonObject("reported")),
                instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("provisioned_at")));
    }

    private static ReportedState reported(JsonObject json) {
        return json == null ? null : Json.decode(json.encode().getBytes(StandardCharsets.UTF_8), ReportedState.class);
    }

    private static List<String> tags(String[] tags) {
        return tags == null ? List.of() : Arrays.asList(tags);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
