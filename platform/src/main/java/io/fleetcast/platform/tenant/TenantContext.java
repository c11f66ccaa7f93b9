package io.fleetcast.platform.tenant;

import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.security.TenantAttribute;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;

/**
 * The tenant of the current request. It comes from the caller's security identity, never from a
 * request body, so no caller can act for another tenant by writing its id.
 */
@RequestScoped
public class TenantContext {

    @Inject
    SecurityIdentity identity;

    @Inject
    Tenants tenants;

    /** The caller's tenant id; the tenant row exists when the returned Uni completes. */
    public Uni<String> tenantId() {
        String tenant = identity.getAttribute(TenantAttribute.NAME);
        if (tenant == null || tenant.isBlank()) {
            return Uni.createFrom()
                    .failure(new ApiException(Status.FORBIDDEN, "NO_TENANT", "the caller belongs to no tenant"));
        }
        return tenants.ensureExists(tenant).replaceWith(tenant);
    }

    /** Who the caller is, as the audit log names them: the principal name of the security identity. */
    public String actor() {
        return identity.getPrincipal().getName();
    }
}
