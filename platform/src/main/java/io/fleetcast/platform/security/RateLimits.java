package io.fleetcast.platform.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The platform's rate limits on unauthenticated work; see {@link RateLimitConfig}. */
@ApplicationScoped
public class RateLimits {

    private final RateLimiter failedConnects;
    private final RateLimiter claimConnects;
    private final RateLimiter anonymousRequests;
    private final MeterRegistry metrics;

    @Inject
    public RateLimits(RateLimitConfig config, MeterRegistry metrics) {
        this.failedConnects = new RateLimiter(
                config.failedConnectsPerMinute() / 60.0, config.failedConnectsPerMinute(), config.maxTrackedKeys());
        this.claimConnects = new RateLimiter(
                config.claimConnectsPerSecond(), 2.0 * config.claimConnectsPerSecond(), config.maxTrackedKeys());
        this.anonymousRequests = new RateLimiter(
                config.anonymousRequestsPerSecond(),
                2.0 * config.anonymousRequestsPerSecond(),
                config.maxTrackedKeys());
        this.metrics = metrics;
    }

    /** False while the address has used up its failed CONNECTs. */
    public boolean mayConnect(String address) {
        return counted(failedConnects.allows(address), "failed_connects");
    }

    /** Records a failed CONNECT of the address. */
    public void connectFailed(String address) {
        failedConnects.tryAcquire(address);
    }

    /** Takes one claim connection of the claim's rate. */
    public boolean mayUseClaim(String claimId) {
        return counted(claimConnects.tryAcquire(claimId), "claim_connects");
    }

    /** Takes one request to an open HTTP endpoint of the address's rate. */
    public boolean mayRequestAnonymously(String address) {
        return counted(anonymousRequests.tryAcquire(address), "anonymous_requests");
    }

    private boolean counted(boolean allowed, String limit) {
        if (!allowed) {
            metrics.counter("fleetcast.rate.limited", "limit", limit).increment();
        }
        return allowed;
    }
}
