package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.certificate.DeviceCertificates;
import io.fleetcast.platform.device.DeviceActivity;
import io.fleetcast.platform.device.DeviceOnline;
import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.platform.provisioning.ClaimChecker;
import io.fleetcast.platform.provisioning.Provisioner;
import io.fleetcast.platform.security.RateLimits;
import io.quarkus.oidc.TenantIdentityProvider;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * What the gateway's authenticator and client policies need, gathered so they stay plain objects. A
 * singleton without a client proxy, because policies read its fields directly.
 */
@Singleton
class Gateway {

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Inject
    SessionRegistry sessions;

    @Inject
    DeviceAuthenticator authenticator;

    @Inject
    DeviceActivity activity;

    @Inject
    ClaimChecker claims;

    @Inject
    Provisioner provisioner;

    @Inject
    RateLimits limits;

    @Inject
    DeviceCertificates certificates;

    @Inject
    Event<DeviceOnline> online;

    @Inject
    Vertx vertx;

    @Inject
    TenantIdentityProvider tokens;

    /** Handlers of device subtopics contributed by features, by subtopic; fixed at start. */
    final Map<String, DeviceTopicHandler> topicHandlers = new HashMap<>();

    @Inject
    void collect(Instance<DeviceTopicHandler> handlers) {
        for (DeviceTopicHandler handler : handlers) {
            if (topicHandlers.put(handler.subtopic(), handler) != null) {
                throw new IllegalStateException("two handlers for device subtopic " + handler.subtopic());
            }
        }
    }
}
