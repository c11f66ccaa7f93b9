package io.fleetcast.platform.security;

import io.fleetcast.platform.error.ApiError;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Limits requests to the endpoints that need no credentials (health, metrics, OpenAPI) per source
 * address, before anything else runs; an address over its rate gets 429 until it earns tokens back.
 * The API itself is not limited here: its credentials are Keycloak tokens, whose password logins
 * Keycloak guards with brute-force protection, and limiting API calls by address would let one client
 * behind a NAT lock out its neighbours.
 */
@ApplicationScoped
public class AnonymousRequestLimit {

    private static final String API = "/api/";

    @Inject
    RateLimits limits;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            boolean open = !context.request().path().startsWith(API);
            boolean allowed = !open
                    || limits.mayRequestAnonymously(
                            context.request().remoteAddress().host());
            if (!allowed) {
                context.response()
                        .setStatusCode(429)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Retry-After", "1")
                        .end(Json.encode(new ApiError("RATE_LIMITED", "too many unauthenticated requests")));
                return;
            }
            context.next();
        });
    }
}
