package io.fleetcast.platform.group;

import io.fleetcast.platform.device.Cursor;
import io.fleetcast.platform.device.DevicePage;
import io.fleetcast.platform.device.DeviceResource.DeviceCount;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/groups")
@Tag(name = "Device groups")
public class GroupResource {

    @Inject
    TenantContext tenant;

    @Inject
    GroupService groups;

    @POST
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<Response> create(@Valid @NotNull GroupRequest request) {
        return tenant.tenantId()
                .chain(tenantId -> groups.create(tenantId, tenant.actor(), request))
                .map(group -> Response.created(URI.create("/api/v1/groups/" + group.id()))
                        .entity(group)
                        .build());
    }

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<List<GroupView>> list() {
        return tenant.tenantId().chain(groups::list);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<GroupView> get(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> groups.get(tenantId, id));
    }

    @PUT
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<GroupView> update(@PathParam("id") UUID id, @Valid @NotNull GroupRequest request) {
        return tenant.tenantId().chain(tenantId -> groups.update(tenantId, tenant.actor(), id, request));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return tenant.tenantId()
                .chain(tenantId -> groups.delete(tenantId, tenant.actor(), id))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("{id}/devices")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<DevicePage> devices(
            @PathParam("id") UUID id,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        UUID cursor = Cursor.parse(after);
        return tenant.tenantId().chain(tenantId -> groups.devices(tenantId, id, cursor, limit));
    }

    @GET
    @Path("{id}/devices/count")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<DeviceCount> count(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> groups.count(tenantId, id)).map(DeviceCount::new);
    }

    @POST
    @Path("{id}/members")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<MembersResult> addMembers(@PathParam("id") UUID id, @Valid @NotNull MembersRequest request) {
        return tenant.tenantId()
                .chain(tenantId -> groups.addMembers(tenantId, tenant.actor(), id, request.deviceIds()));
    }

    @POST
    @Path("{id}/members/remove")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<MembersResult> removeMembers(@PathParam("id") UUID id, @Valid @NotNull MembersRequest request) {
        return tenant.tenantId()
                .chain(tenantId -> groups.removeMembers(tenantId, tenant.actor(), id, request.deviceIds()));
    }
}
