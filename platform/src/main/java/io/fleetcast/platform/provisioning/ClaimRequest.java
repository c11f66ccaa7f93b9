package io.fleetcast.platform.provisioning;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A claim for one production batch: devices of {@code model} may provision themselves with it until it
 * expires or has been used {@code maxUses} times.
 *
 * @param expiresAt when the claim stops working; by default 30 days from now
 */
public record ClaimRequest(
        @NotNull @Size(min = 1, max = 64) String model,
        @NotNull @Min(1) @Max(100_000_000) Integer maxUses,
        @Future Instant expiresAt,
        @Size(max = 256) String description) {}
