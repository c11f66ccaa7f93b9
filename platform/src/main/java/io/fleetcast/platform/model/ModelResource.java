package io.fleetcast.platform.model;

import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/models")
@Tag(name = "Device models")
public class ModelResource {

    @Inject
    TenantContext tenant;

    @Inject
    ModelService models;

    @POST
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<Response> create(@Valid @NotNull ModelRequest request) {
        return tenant.tenantId()
                .chain(tenantId -> models.create(tenantId, tenant.actor(), request))
                .map(model -> Response.created(URI.create("/api/v1/models/" + model.id()))
                        .entity(model)
                        .build());
    }

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<List<ModelView>> list() {
        return tenant.tenantId().chain(models::list);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<ModelView> get(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> models.get(tenantId, id));
    }

    @PUT
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<ModelView> update(@PathParam("id") UUID id, @Valid @NotNull ModelRequest request) {
        return tenant.tenantId().chain(tenantId -> models.update(tenantId, tenant.actor(), id, request));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return tenant.tenantId()
                .chain(tenantId -> models.delete(tenantId, tenant.actor(), id))
                .replaceWith(Response.noContent().build());
    }
}
