package io.fleetcast.platform.certificate;

import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/devices/{id}/certificates")
@Tag(name = "Devices")
public class CertificateResource {

    @Inject
    TenantContext tenant;

    @Inject
    DeviceCertificates certificates;

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(summary = "List a device's certificates, newest first")
    public Uni<List<CertificateView>> list(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> certificates.list(tenantId, id));
    }

    @POST
    @Path("{serial}/revoke")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(
            summary = "Revoke a device certificate",
            description = "A live session that uses it is closed at once and reconnects with it are refused.")
    public Uni<CertificateView> revoke(@PathParam("id") UUID id, @PathParam("serial") String serial) {
        return tenant.tenantId().chain(tenantId -> certificates.revoke(tenantId, id, serial, tenant.actor()));
    }
}
