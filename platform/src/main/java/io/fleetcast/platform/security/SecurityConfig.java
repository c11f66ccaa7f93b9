package io.fleetcast.platform.security;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "fleetcast.security")
public interface SecurityConfig {

    /**
     * Base64 key (at least 32 bytes) for HMAC-SHA-256 of device and claim secrets. Production sets it
     * from a secret store, so a database dump alone cannot verify guesses. By default the platform
     * generates a key at first start and keeps it in the database.
     */
    Optional<String> secretHashKey();
}
