package io.fleetcast.platform.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How this node joins other platform nodes in one MQTT routing space (docs/cluster.md). */
@ConfigMapping(prefix = "fleetcast.cluster")
public interface ClusterConfig {

    /**
     * NATS server(s) the nodes share, e.g. {@code nats://nats:4222}. By default none: the node routes
     * on its own, as a single broker.
     */
    Optional<String> natsUrl();

    /** First token of every subject, so that several clusters can share one NATS. By default {@code fc}. */
    @WithDefault("fc")
    String subjectPrefix();

    /** How long a route with no local subscriber is kept before NATS is told, to damp churn. */
    @WithDefault("2s")
    Duration unsubscribeDelay();

    /**
     * How long a CONNECT waits for the node holding its session, and a starting node for each batch of
     * retained messages. Only reached when a node holds the session but is slow: when none holds it
     * NATS answers at once.
     */
    @WithDefault("5s")
    Duration requestTimeout();
}
