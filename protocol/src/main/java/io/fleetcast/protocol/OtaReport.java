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
 * @param errorCode a stable code when the state is FAILED, REJECTED or ROLLED_BACK, e.g.
 *     {@code BAD_SIGNATURE}, {@code WRONG_MODEL}, {@code DOWNGRADE}, {@code EXPIRED},
 *     {@code HASH_MISMATCH}, {@code DOWNLOAD_FAILED}, {@code HEALTH_CHECK_FAILED}
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
