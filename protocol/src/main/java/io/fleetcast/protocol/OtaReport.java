package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a device publishes on {@code d/<id>/op} as an assignment progresses.
 *
 * @param actionId the action from the {@link OtaAssignment}
 * @param state the device's state; only states with {@link OtaState#reportedByDevice()}
 * @param bytesDone bytes downloaded so far, while downloading
 * @param bytesTotal bytes to download
 * @param version the version running now (after SUCCEEDED or ROLLED_BACK)
 * @param errorCode a stable code when the state is FAILED, REJECTED or ROLLED_BACK: the bundle checks
 *     {@code MALFORMED}, {@code BAD_SIGNATURE}, {@code WRONG_MODEL}, {@code BASE_MISMATCH},
 *     {@code DOWNGRADE}, {@code EXPIRED}, {@code HASH_MISMATCH} (see {@code docs/ota-bundle.md}); and
 *     {@code DOWNLOAD_FAILED}, {@code CONSENT_DECLINED}, {@code INSTALL_FAILED}, {@code BUSY} (a trial
 *     boot awaits its health check), {@code NO_MAINTENANCE_WINDOW}, {@code HEALTH_CHECK_FAILED},
 *     {@code INSTALL_INTERRUPTED} (the device lost power while writing the slot)
 * @param message a human-readable detail
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OtaReport(
        String actionId,
        OtaState state,
        Long bytesDone,
        Long bytesTotal,
        String version,
        String errorCode,
        String message) {

    public static OtaReport of(String actionId, OtaState state) {
        return new OtaReport(actionId, state, null, null, null, null, null);
    }
}
