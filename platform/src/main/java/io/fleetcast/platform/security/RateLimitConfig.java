package io.fleetcast.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on what callers can do before they have proven who they are. */
@ConfigMapping(prefix = "fleetcast.rate-limit")
public interface RateLimitConfig {

    /**
     * Failed MQTT CONNECTs (wrong credential, unknown claim, foreign client id) per source address per
     * minute. Past it, CONNECTs from that address are refused at once (MQTT 5 0x9F) until it earns
     * tokens back. By default 60.
     */
    @WithDefault("60")
    int failedConnectsPerMinute();

    /**
     * Claim connections per claim per second: how fast one production batch may provision. By default
     * 5,000, above what one platform node sustains, so it only bites on abuse of a leaked claim.
     */
    @WithDefault("5000")
    int claimConnectsPerSecond();

    /** Requests to the open HTTP endpoints (health, metrics, OpenAPI) per source address per second. By default 50. */
    @WithDefault("50")
    int anonymousRequestsPerSecond();

    /** Most addresses or claims tracked at once by each limit. By default 100,000. */
    @WithDefault("100000")
    int maxTrackedKeys();
}
