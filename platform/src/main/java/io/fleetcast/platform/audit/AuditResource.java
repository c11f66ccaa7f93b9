package io.fleetcast.platform.audit;

import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Tag(name = "Audit log")
public class AuditResource {

    @Inject
    TenantContext tenant;

    @Inject
    AuditSearch search;

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(
            summary = "List the tenant's changes, newest first",
            description = "Filters combine with AND; pass `next` as `before` for the next page.")
    public Uni<AuditPage> list(@BeanParam AuditParams params) {
        AuditFilter filter = params.toFilter();
        UUID before = params.cursor();
        int limit = params.limit();
        return tenant.tenantId().chain(tenantId -> search.page(tenantId, filter, before, limit));
    }
}
