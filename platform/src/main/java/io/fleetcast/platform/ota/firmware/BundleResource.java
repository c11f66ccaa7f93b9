package io.fleetcast.platform.ota.firmware;

import io.fleetcast.platform.device.Cursor;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/firmware/bundles")
@Tag(name = "Firmware")
public class BundleResource {

    @Inject
    TenantContext tenant;

    @Inject
    BundleService bundles;

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(
            summary = "Publish a signed bundle (what `ota-builder publish` sends)",
            description = "The body is the bundle file, streamed to disk. It is verified against the tenant's"
                    + " registered signing keys; a refused bundle is not stored.")
    public Response publish(InputStream body) throws IOException {
        String tenantId = tenant.tenantId().await().indefinitely();
        BundleView.Published published = bundles.publish(tenantId, tenant.actor(), body);
        return Response.status(201).entity(published).build();
    }

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    @Operation(summary = "List published bundles, optionally of one model and version")
    public Uni<BundleView.Page> list(
            @QueryParam("model") String model,
            @QueryParam("version") String version,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return tenant.tenantId().chain(tenantId -> bundles.list(tenantId, model, version, Cursor.parse(after), limit));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<BundleView> get(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> bundles.get(tenantId, id));
    }
}
