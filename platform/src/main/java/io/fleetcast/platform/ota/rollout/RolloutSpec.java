package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.protocol.OtaMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rollout as an operator asks for it; stored as is with the rollout once {@link RolloutSpecs}
 * accepted it and filled in the defaults.
 *
 * @param name shown in lists
 * @param version the firmware version to install; each targeted model needs a full bundle of it
 * @param target the devices: a filter or a device group
 * @param dynamic whether devices that match the target later join the rollout (its last group)
 * @param groups how the devices are split into groups, in order; the last group takes whatever is left
 * @param successThreshold percent of a group's devices that must succeed before the group counts as
 *     successful
 * @param successAction what follows a successful group
 * @param errorThreshold percent of failed devices among finished ones that pauses the rollout; null
 *     for none
 * @param errorMinSample the error threshold is only checked once this many devices finished
 * @param approvalRequired whether an approver must approve before the rollout can start
 * @param startAt when a ready rollout starts by itself; null to start by hand
 * @param rate notification rate limit; null for none
 * @param inProgressTimeoutMinutes how long a device may take from notification to a final report;
 *     null for no limit
 * @param retries retries of failed and timed-out devices; null for none
 * @param maintenanceWindow when devices may be notified (and told to install); null for any time
 * @param mode forced, soft or download-only
 * @param consentRequired whether the viewer must accept the install
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutSpec(
        String name,
        String version,
        Target target,
        Boolean dynamic,
        List<GroupSpec> groups,
        Integer successThreshold,
        SuccessAction successAction,
        Integer errorThreshold,
        Integer errorMinSample,
        Boolean approvalRequired,
        Instant startAt,
        RateSpec rate,
        Integer inProgressTimeoutMinutes,
        RetrySpec retries,
        WindowSpec maintenanceWindow,
        OtaMode mode,
        Boolean consentRequired) {

    /** Exactly one of a filter or a device group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(DeviceFilter filter, UUID groupId) {}

    /** A group of a percentage of the targeted devices, or of a count of them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupSpec(Integer percent, Long count) {}

    public enum SuccessAction {
        /** Start the next group at once. */
        NEXT_GROUP,
        /** Pause the rollout; resume starts the next group. */
        PAUSE
    }

    /**
     * At most {@code maxPerMinute} notifications a minute; with {@code exponential}, the rate starts at
     * its base and grows by its factor each time its criterion count is reached again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateSpec(Integer maxPerMinute, Exponential exponential) {}

    /**
     * @param notifiedCriterion grow the rate after each this many more notified devices
     * @param succeededCriterion grow the rate after each this many more succeeded devices
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Exponential(
            Integer baseRatePerMinute, Double incrementFactor, Integer notifiedCriterion, Integer succeededCriterion) {}

    /** @param max retries per device, after the first attempt; backoff doubles each time */
    public record RetrySpec(Integer max, Integer backoffSeconds) {}

    public record WindowSpec(String cron, Integer durationMinutes, String timeZone) {}

    @JsonIgnore
    public boolean isDynamic() {
        return Boolean.TRUE.equals(dynamic);
    }

    @JsonIgnore
    public boolean isDownloadOnly() {
        return mode == OtaMode.DOWNLOAD_ONLY;
    }
}
