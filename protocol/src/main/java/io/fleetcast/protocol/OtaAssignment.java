package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What the platform sends on {@code d/<id>/o}: install a firmware version, or cancel an action. A
 * device that was offline gets its pending assignment when it comes back.
 *
 * @param actionId the device's action, quoted in every {@link OtaReport}
 * @param cancel true to cancel the action: the device stops downloading and stays on its slot
 * @param version the firmware version to install
 * @param bundleUrl where to download the bundle (HTTP, with Range support)
 * @param bundleSize length of the bundle in bytes
 * @param delta true when the bundle is a delta against {@code baseVersion}
 * @param baseVersion the installed version a delta applies to; null for a full image
 * @param mode forced, soft or download-only
 * @param consentRequired true when the viewer must accept before install
 * @param maintenanceWindow when the device may install; null for any time
 * @param expiresAt the assignment is void after this instant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OtaAssignment(
        String actionId,
        boolean cancel,
        String version,
        String bundleUrl,
        Long bundleSize,
        boolean delta,
        String baseVersion,
        OtaMode mode,
        boolean consentRequired,
        MaintenanceWindow maintenanceWindow,
        Instant expiresAt) {

    /** An assignment that cancels an action. */
    public static OtaAssignment cancel(String actionId) {
        return new OtaAssignment(actionId, true, null, null, null, false, null, null, false, null, null);
    }

    /**
     * A recurring window in which installs may start.
     *
     * @param cron a five-field cron expression (minute hour day-of-month month day-of-week) of the
     *     window's start
     * @param durationMinutes how long each window lasts
     * @param timeZone an IANA zone id, e.g. {@code Europe/Berlin}
     */
    public record MaintenanceWindow(String cron, int durationMinutes, String timeZone) {}
}
