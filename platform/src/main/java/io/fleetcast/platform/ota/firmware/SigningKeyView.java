package io.fleetcast.platform.ota.firmware;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A registered signing key.
 *
 * @param keyId the id manifests name it by (derived from the key)
 * @param revokedAt when it stopped being trusted for uploads, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SigningKeyView(
        UUID id, String keyId, String name, String publicKey, Instant createdAt, Instant revokedAt) {}
