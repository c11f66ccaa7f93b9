package io.fleetcast.platform.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Which devices a search or a dynamic group selects. Every given criterion must hold; within a list,
 * any value matches (tags: all given tags must be present). Evaluated in SQL, never in memory.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeviceFilter(
        @Size(max = 100) List<@NotNull @Pattern(regexp = TOKEN) String> models,
        @Size(max = 100) List<@NotNull @Pattern(regexp = TOKEN) String> firmwareVersions,
        @Size(max = 32) List<@NotNull @Pattern(regexp = TOKEN) String> tags,
        @Size(max = 100) List<@NotNull @Pattern(regexp = TOKEN) String> regions,
        Boolean online,
        DeviceStatus status,
        @Size(max = 1000) List<@NotNull @Pattern(regexp = TOKEN) String> serials) {

    /** Names, versions, tags and regions: short tokens. */
    public static final String TOKEN = "[A-Za-z0-9][A-Za-z0-9._+:~=-]{0,63}";

    public static final DeviceFilter ALL = new DeviceFilter(null, null, null, null, null, null, null);

    public DeviceFilter {
        models = models == null ? List.of() : List.copyOf(models);
        firmwareVersions = firmwareVersions == null ? List.of() : List.copyOf(firmwareVersions);
        tags = tags == null ? List.of() : List.copyOf(tags);
        regions = regions == null ? List.of() : List.copyOf(regions);
        serials = serials == null ? List.of() : List.copyOf(serials);
    }

    /** Adds this filter's conditions to a query over {@code devices d}. */
    void appendTo(DeviceQuery query) {
        if (!models.isEmpty()) {
            query.where(
                    "d.model_id IN (SELECT id FROM device_models WHERE tenant_id = $1 AND name = ANY(?))",
                    models.toArray(String[]::new));
        }
        if (!firmwareVersions.isEmpty()) {
            query.where("d.firmware_version = ANY(?)", firmwareVersions.toArray(String[]::new));
        }
        if (!tags.isEmpty()) {
            query.where("d.tags @> ?::text[]", tags.toArray(String[]::new));
        }
        if (!regions.isEmpty()) {
            query.where("d.region = ANY(?)", regions.toArray(String[]::new));
        }
        if (!serials.isEmpty()) {
            query.where("d.serial = ANY(?)", serials.toArray(String[]::new));
        }
        if (online != null) {
            query.where(online ? "d.online" : "NOT d.online");
        }
        if (status != null) {
            query.where(status.sqlCondition());
        }
    }
}
