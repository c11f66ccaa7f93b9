package io.fleetcast.platform.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Copies the {@code tenant} and {@code partner} claims of an OIDC token into identity attributes, so
 * the rest of the platform reads the caller's tenant the same way whatever authenticated it.
 */
@ApplicationScoped
public class TenantClaims implements SecurityIdentityAugmentor {

    public static final String PARTNER = "partner";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        String tenant = token.getClaim(TenantAttribute.NAME);
        if (tenant != null) {
            builder.addAttribute(TenantAttribute.NAME, tenant);
        }
        String partner = token.getClaim(PARTNER);
        if (partner != null) {
            builder.addAttribute(PARTNER, partner);
        }
        return Uni.createFrom().item(builder.build());
    }
}
