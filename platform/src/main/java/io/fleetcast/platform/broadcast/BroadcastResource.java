package io.fleetcast.platform.broadcast;

import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.tenant.TenantContext;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.Topics;
import io.fleetcast.routing.broker.Broker;
import io.fleetcast.routing.broker.Message;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Pushes a moment to every device of a tenant, of a model, or tuned to a channel: one publish on the
 * broadcast topic, fanned out by the broker to every subscriber on this node and forwarded once to
 * each other node with subscribers.
 */
@Path("/api/v1/broadcasts")
@Tag(name = "Broadcasts")
public class BroadcastResource {

    private static final Logger LOG = Logger.getLogger(BroadcastResource.class);

    @Inject
    TenantContext tenant;

    @Inject
    Broker broker;

    @POST
    @RolesAllowed({Roles.MANUFACTURER_ADMIN, Roles.OPERATOR, Roles.PLATFORM_ADMIN})
    public Uni<Response> publish(@Valid @NotNull BroadcastRequest request) {
        return tenant.tenantId().map(tenantId -> {
            String topic = topic(tenantId, request);
            int qos = request.qos() == null ? 0 : request.qos();
            boolean retain = Boolean.TRUE.equals(request.retain());
            byte[] payload =
                    request.payload().isTextual() && request.payload().asText().isEmpty()
                            ? new byte[0]
                            : Json.encode(request.payload());
            long expiresAt =
                    request.expirySeconds() == null ? 0 : System.currentTimeMillis() + request.expirySeconds() * 1000L;
            if (!broker.publish(
                    new Message(topic, qos, retain, payload, MqttProperties.NO_PROPERTIES, expiresAt, null))) {
                throw new ApiException(
                        Response.Status.SERVICE_UNAVAILABLE, "RETAINED_STORE_FULL", "too many retained messages");
            }
            LOG.infof(
                    "Broadcast published tenantId=%s actor=%s topic=%s qos=%d retain=%s bytes=%d",
                    tenantId, tenant.actor(), topic, qos, retain, payload.length);
            return Response.accepted(new BroadcastResult(topic, qos, retain)).build();
        });
    }

    private static String topic(String tenantId, BroadcastRequest request) {
        if (request.scope() == BroadcastRequest.Scope.TENANT) {
            return Topics.tenantBroadcast(tenantId);
        }
        if (request.target() == null) {
            throw ApiException.badRequest("TARGET_REQUIRED", "a MODEL or CHANNEL broadcast needs a target");
        }
        return request.scope() == BroadcastRequest.Scope.MODEL
                ? Topics.modelBroadcast(tenantId, request.target())
                : Topics.channelBroadcast(tenantId, request.target());
    }

    /** What was published: the topic devices subscribe to. */
    public record BroadcastResult(String topic, int qos, boolean retained) {}
}
