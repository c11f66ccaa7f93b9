package io.fleetcast.platform.device;

import io.fleetcast.platform.device.importing.DeviceImporter;
import io.fleetcast.platform.device.importing.ImportFormat;
import io.fleetcast.platform.device.importing.ImportReport;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/devices")
@Tag(name = "Devices")
public class DeviceResource {

    @Inject
    TenantContext tenant;

    @Inject
    DeviceService devices;

    @Inject
    DeviceImporter importer;

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    @Operation(summary = "Search devices", description = "Filters combine with AND; pages follow `next`.")
    public Uni<DevicePage> search(
            @BeanParam FilterParams params,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        DeviceFilter filter = params.toFilter();
        return tenant.tenantId().chain(tenantId -> devices.search(tenantId, filter, Cursor.parse(after), limit));
    }

    @GET
    @Path("count")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    @Operation(summary = "Count devices that match the same filters as search")
    public Uni<DeviceCount> count(@BeanParam FilterParams params) {
        DeviceFilter filter = params.toFilter();
        return tenant.tenantId()
                .chain(tenantId -> devices.count(tenantId, filter))
                .map(DeviceCount::new);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<DeviceView> get(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> devices.get(tenantId, id));
    }

    @POST
    @Path("{id}/disable")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(summary = "Disable a device: its live session is closed and it cannot connect")
    public Uni<DeviceView> disable(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> devices.setEnabled(tenantId, tenant.actor(), id, false));
    }

    @POST
    @Path("{id}/enable")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<DeviceView> enable(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> devices.setEnabled(tenantId, tenant.actor(), id, true));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return tenant.tenantId()
                .chain(tenantId -> devices.delete(tenantId, tenant.actor(), id))
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path("import")
    @Blocking
    @Consumes({ImportFormat.CSV, ImportFormat.NDJSON})
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(
            summary = "Pre-register devices in bulk",
            description = "CSV with a header (serial,model,region,tags; tags separated by ';') or NDJSON"
                    + " ({\"serial\",\"model\",\"region\",\"tags\":[]} per line). The body is streamed."
                    + " Rows with errors are reported and skipped; with atomic=true any error rolls"
                    + " everything back.")
    public Response importDevices(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("atomic") @DefaultValue("false") boolean atomic,
            InputStream body) {
        String tenantId = tenant.tenantId().await().indefinitely();
        ImportReport report =
                importer.importDevices(tenantId, tenant.actor(), ImportFormat.of(contentType), body, atomic);
        int status = report.rejected() > 0 && (atomic || report.created() == 0) ? 422 : 200;
        return Response.status(status).entity(report).build();
    }

    public record DeviceCount(long count) {}
}
