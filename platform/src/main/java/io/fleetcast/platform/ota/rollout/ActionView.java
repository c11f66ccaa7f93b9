package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetcast.protocol.OtaState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One device's action in a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionView(
        UUID deviceId,
        int group,
        OtaState state,
        int attempt,
        boolean cancelRequested,
        String errorCode,
        Instant notifiedAt,
        Instant updatedAt) {

    /** A page of actions in device id order. */
    public record Page(List<ActionView> items, String next) {}
}
