package io.fleetcast.platform.provisioning;

import io.fleetcast.platform.device.Cursor;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/claims")
@Tag(name = "Provisioning claims")
public class ClaimResource {

    @Inject
    TenantContext tenant;

    @Inject
    ClaimService claims;

    @POST
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(
            summary = "Create a claim for a production batch",
            description = "The response carries the claim token once; only its hash is kept.")
    public Uni<Response> create(@Valid @NotNull ClaimRequest request) {
        return tenant.tenantId()
                .chain(tenantId -> claims.create(tenantId, tenant.actor(), request))
                .map(claim -> Response.created(URI.create("/api/v1/claims/" + claim.id()))
                        .entity(claim)
                        .build());
    }

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(summary = "List claims, newest first; pass the last id as `before` for the next page")
    public Uni<List<ClaimView>> list(
            @QueryParam("before") String before, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be between 1 and 1000");
        }
        UUID cursor = Cursor.parse(before);
        return tenant.tenantId().chain(tenantId -> claims.list(tenantId, cursor, limit));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<ClaimView> get(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> claims.get(tenantId, id));
    }

    @POST
    @Path("{id}/revoke")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<ClaimView> revoke(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> claims.revoke(tenantId, tenant.actor(), id));
    }
}
