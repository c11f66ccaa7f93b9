package io.fleetcast.platform.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A broadcast moment pushed to devices of the caller's tenant.
 *
 * @param scope {@code TENANT} (every device), {@code MODEL} or {@code CHANNEL}
 * @param target the model name or channel for {@code MODEL} and {@code CHANNEL}
 * @param payload any JSON value; devices get it as the message payload
 * @param qos 0 (default) or 1
 * @param retain keep it for devices that subscribe later (an empty string payload clears it)
 * @param expirySeconds MQTT 5 message expiry; devices that get it later than this never see it
 */
public record BroadcastRequest(
        @NotNull Scope scope,
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "must be a short token without '/', '+' or '#'")
                String target,
        @NotNull JsonNode payload,
        @Min(0) @Max(1) Integer qos,
        Boolean retain,
        @Min(1) @Max(604_800) Integer expirySeconds) {

    public enum Scope {
        TENANT,
        MODEL,
        CHANNEL
    }
}
