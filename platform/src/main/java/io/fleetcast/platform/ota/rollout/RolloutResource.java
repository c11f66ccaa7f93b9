package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.device.Cursor;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.ota.OtaConfig;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.fleetcast.protocol.OtaState;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/v1/rollouts")
@Tag(name = "Rollouts")
@RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
public class RolloutResource {

    /** How often the live progress stream looks at the counters. */
    private static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

    @Inject
    TenantContext tenant;

    @Inject
    SecurityIdentity identity;

    @Inject
    RolloutService rollouts;

    @Inject
    OtaConfig config;

    @POST
    @Operation(
            summary = "Create a rollout",
            description = "Writes one action per targeted device (set-based). The rollout is then READY, or"
                    + " WAITING_FOR_APPROVAL when approvalRequired.")
    public Uni<Response> create(RolloutSpec spec) {
        return tenant.tenantId()
                .chain(tenantId -> rollouts.create(tenantId, tenant.actor(), spec))
                .map(created -> Response.created(URI.create("/api/v1/rollouts/" + created.id()))
                        .entity(created)
                        .build());
    }

    @GET
    @Operation(summary = "List rollouts, newest first; pages follow `next`")
    public Uni<RolloutView.Page> list(
            @QueryParam("state") String state,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        RolloutState filter = parse(RolloutState.class, state, "state");
        return tenant.tenantId().chain(tenantId -> rollouts.list(tenantId, filter, Cursor.parse(after), limit));
    }

    @GET
    @Path("{id}")
    public Uni<RolloutView> get(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> rollouts.get(tenantId, id));
    }

    @POST
    @Path("{id}/approve")
    @Operation(summary = "Approve a rollout waiting for approval (approver roles only)")
    public Uni<RolloutView> approve(@PathParam("id") UUID id) {
        if (config.approverRoles().stream().noneMatch(identity::hasRole)) {
            return Uni.createFrom()
                    .failure(new ApiException(
                            Status.FORBIDDEN, "FORBIDDEN", "the caller's roles may not approve rollouts"));
        }
        return tenant.tenantId().chain(tenantId -> rollouts.approve(tenantId, tenant.actor(), id));
    }

    @POST
    @Path("{id}/start")
    public Uni<RolloutView> start(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> rollouts.start(tenantId, tenant.actor(), id));
    }

    @POST
    @Path("{id}/pause")
    public Uni<RolloutView> pause(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> rollouts.pause(tenantId, tenant.actor(), id));
    }

    @POST
    @Path("{id}/resume")
    public Uni<RolloutView> resume(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> rollouts.resume(tenantId, tenant.actor(), id));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel the rollout: unsent actions are canceled, devices in flight are told to stop")
    public Uni<RolloutView> cancel(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> rollouts.cancel(tenantId, tenant.actor(), id));
    }

    @GET
    @Path("{id}/progress")
    @Operation(summary = "Actions per state, overall and per group")
    public Uni<RolloutProgress> progress(@PathParam("id") UUID id) {
        return tenant.tenantId().chain(tenantId -> rollouts.progress(tenantId, id));
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Live progress as Server-Sent Events",
            description = "An event with the progress whenever it changes (checked every second); the stream"
                    + " ends after the rollout reached STOPPED or FINISHED.")
    @Blocking
    public Multi<RolloutProgress> events(@PathParam("id") UUID id) {
        // The first progress is read before the response starts (on a worker thread, briefly), so an
        // unknown rollout is a plain 404 rather than a stream that breaks off.
        String tenantId = tenant.tenantId().await().indefinitely();
        RolloutProgress first = rollouts.progress(tenantId, id).await().indefinitely();
        return progressOf(new Stream(tenantId, first), id);
    }

    private record Stream(String tenantId, RolloutProgress first) {}

    private Multi<RolloutProgress> progressOf(Stream stream, UUID id) {
        AtomicBoolean ended = new AtomicBoolean();
        return Multi.createBy()
                .concatenating()
                .streams(
                        Multi.createFrom().item(stream.first()),
                        Multi.createFrom()
                                .ticks()
                                .every(EVENT_INTERVAL)
                                .onItem()
                                .transformToUniAndConcatenate(tick -> rollouts.progress(stream.tenantId(), id)))
                // Ends after the first event that shows a final state; then drops unchanged progress.
                .select()
                .first(progress -> !ended.getAndSet(progress.state().isFinal()))
                .skip()
                .repetitions();
    }

    @GET
    @Path("{id}/actions")
    @Operation(summary = "A rollout's device actions in device id order, optionally by state and group")
    public Uni<ActionView.Page> actions(
            @PathParam("id") UUID id,
            @QueryParam("state") String state,
            @QueryParam("group") Integer group,
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        OtaState filter = parse(OtaState.class, state, "state");
        return tenant.tenantId()
                .chain(tenantId -> rollouts.actions(tenantId, id, filter, group, Cursor.parse(after), limit));
    }

    @GET
    @Path("{id}/actions/{deviceId}")
    public Uni<ActionView> action(@PathParam("id") UUID id, @PathParam("deviceId") UUID deviceId) {
        return tenant.tenantId().chain(tenantId -> rollouts.action(tenantId, id, deviceId));
    }

    @POST
    @Path("{id}/actions/{deviceId}/cancel")
    @Operation(summary = "Cancel one device's action")
    public Uni<ActionView> cancelAction(@PathParam("id") UUID id, @PathParam("deviceId") UUID deviceId) {
        return tenant.tenantId().chain(tenantId -> rollouts.cancelAction(tenantId, tenant.actor(), id, deviceId));
    }

    /** Parses an enum query parameter; JAX-RS would answer an unknown name with 404. */
    private static <E extends Enum<E>> E parse(Class<E> type, String value, String name) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "INVALID_FILTER", name + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
