package io.fleetcast.platform.provisioning;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A claim as the API shows it.
 *
 * @param token the claim token to flash into the batch's devices; present only in the response that
 *     created the claim, since the platform keeps only a hash of the secret
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimView(
        UUID id,
        String model,
        String description,
        int maxUses,
        int uses,
        Instant expiresAt,
        Instant revokedAt,
        Instant createdAt,
        String token) {

    ClaimView withToken(String token) {
        return new ClaimView(id, model, description, maxUses, uses, expiresAt, revokedAt, createdAt, token);
    }
}
