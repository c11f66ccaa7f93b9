package io.fleetcast.platform.gateway.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Prometheus metrics of the MQTT gateway: connections, refusals, messages, protocol errors. */
@ApplicationScoped
public class GatewayMetrics {

    @Inject
    MeterRegistry registry;

    void connectAccepted(String kind) {
        registry.counter("fleetcast.mqtt.connects", "kind", kind, "result", "accepted")
                .increment();
    }

    /** A refused CONNECT; {@code reason} is a stable lower-case word, e.g. {@code bad_credentials}. */
    void authFailure(String kind, String reason) {
        registry.counter("fleetcast.mqtt.connects", "kind", kind, "result", "refused")
                .increment();
        registry.counter("fleetcast.mqtt.auth.failures", "reason", reason).increment();
    }

    void received(String kind) {
        registry.counter("fleetcast.mqtt.messages.received", "kind", kind).increment();
    }

    /** A packet refused or a connection closed for breaking the rules. */
    void rejected(String reason) {
        registry.counter("fleetcast.mqtt.rejected", "reason", reason).increment();
    }

    void disconnected(String reason) {
        registry.counter("fleetcast.mqtt.disconnects", "reason", reason).increment();
    }
}
