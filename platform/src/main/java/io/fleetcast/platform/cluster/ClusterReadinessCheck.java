package io.fleetcast.platform.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a clustered node has lost NATS: its devices would miss every message published on
 * other nodes, so the load balancer should send new connections elsewhere.
 */
@Readiness
@ApplicationScoped
public class ClusterReadinessCheck implements HealthCheck {

    @Inject
    Cluster cluster;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cluster")
                .status(cluster.connected())
                .withData("clustered", cluster.enabled())
                .build();
    }
}
