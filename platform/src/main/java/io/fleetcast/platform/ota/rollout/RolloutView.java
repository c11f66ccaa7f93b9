package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rollout as the API shows it.
 *
 * @param skippedDevices targeted devices left out: no full bundle for their model, or already on the
 *     version
 * @param notifiedDevices assignments sent so far
 * @param pauseReason why a paused rollout paused: MANUAL, ERROR_THRESHOLD, SUCCESS_ACTION or
 *     GROUP_ERROR
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutView(
        UUID id,
        String name,
        RolloutState state,
        RolloutSpec spec,
        long totalDevices,
        long skippedDevices,
        long notifiedDevices,
        String pauseReason,
        String createdBy,
        String approvedBy,
        Instant createdAt,
        Instant startedAt,
        Instant updatedAt) {

    /** A page of rollouts, newest first; {@code next} is the cursor of the following page. */
    public record Page(List<RolloutView> items, String next) {}
}
