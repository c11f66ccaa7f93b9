package io.fleetcast.platform.gateway.mqtt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the MQTT listeners accept connections. */
@Readiness
@ApplicationScoped
public class MqttReadinessCheck implements HealthCheck {

    @Inject
    MqttGateway gateway;

    @Inject
    io.fleetcast.routing.broker.Broker broker;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt")
                .status(gateway.isListening())
                .withData("port", gateway.port())
                .withData("connections", broker.connectionCount())
                .build();
    }
}
