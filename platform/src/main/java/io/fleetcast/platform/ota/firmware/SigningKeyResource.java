package io.fleetcast.platform.ota.firmware;

import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/firmware/keys")
@Tag(name = "Firmware")
public class SigningKeyResource {

    @Inject
    TenantContext tenant;

    @Inject
    SigningKeyService keys;

    @POST
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(summary = "Register an Ed25519 public key that the tenant's bundles may be signed with")
    public Uni<Response> register(@Valid @NotNull SigningKeyRequest request) {
        return tenant.tenantId()
                .chain(tenantId -> keys.register(tenantId, tenant.actor(), request))
                .map(key -> Response.created(URI.create("/api/v1/firmware/keys/" + key.id()))
                        .entity(key)
                        .build());
    }

    @GET
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<List<SigningKeyView>> list() {
        return tenant.tenantId().chain(keys::list);
    }

    @POST
    @Path("{id}/revoke")
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.PLATFORM_ADMIN})
    @Operation(summary = "Stop trusting a key for uploads")
    public Uni<SigningKeyView> revoke(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> keys.revoke(tenantId, tenant.actor(), id));
    }
}
