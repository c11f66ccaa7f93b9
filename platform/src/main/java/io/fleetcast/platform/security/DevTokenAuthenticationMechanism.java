package io.fleetcast.platform.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Authenticates {@code Authorization: Bearer <dev token>} when {@code fleetcast.api.dev-token} is set:
 * the caller acts for the configured tenant with every role. Meant for benchmarks that run without
 * Keycloak; with no token configured it authenticates nobody. It runs before OIDC, which then handles
 * every other bearer token.
 */
@ApplicationScoped
public class DevTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    @Inject
    ApiConfig config;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (config.devToken().isEmpty() || header == null || !header.startsWith(BEARER)) {
            return Uni.createFrom().nullItem();
        }
        byte[] presented = header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
        byte[] expected = config.devToken().get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expected)) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("dev"))
                        .addRoles(Roles.ALL)
                        .addAttribute(TenantAttribute.NAME, config.devTenant())
                        .build());
    }

    /** Before OIDC's bearer mechanism, which would reject the dev token as a malformed JWT. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
