package io.fleetcast.platform.device;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.protocol.DisconnectReason;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * This platform node, as the registry knows it. The node beats a heartbeat; every node also sweeps
 * for nodes whose heartbeat stopped and writes their devices offline with {@link
 * DisconnectReason#NODE_LOST}, in one statement however many devices they held.
 */
@ApplicationScoped
public class PlatformNode {

    private static final Logger LOG = Logger.getLogger(PlatformNode.class);

    private static final String SWEEP =
            """
            WITH lost AS (
                DELETE FROM platform_nodes
                WHERE heartbeat_at < now() - make_interval(secs => $1) AND id <> $2
                RETURNING id)
            UPDATE devices SET online = false, node_id = NULL, last_disconnect_reason = $3
            WHERE online AND node_id IN (SELECT id FROM lost)
            """;

    /** A random id per start: a restarted node is a new node, and its predecessor gets swept. */
    private final String id = UUID.randomUUID().toString();

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    NodeConfig config;

    private long timerId = -1;

    /** Configuration of node liveness. */
    @ConfigMapping(prefix = "fleetcast.node")
    public interface NodeConfig {

        /** Seconds between heartbeats. */
        @WithDefault("10")
        long heartbeatSeconds();

        /** Seconds without a heartbeat after which a node counts as lost. */
        @WithDefault("60")
        long lostAfterSeconds();
    }

    void onStart(@Observes StartupEvent event) {
        pool.preparedQuery("INSERT INTO platform_nodes (id) VALUES ($1)")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(30));
        LOG.infof("Platform node started nodeId=%s", id);
        timerId = vertx.setPeriodic(config.heartbeatSeconds() * 1000, tick -> beat().subscribe()
                .with(swept -> {}, failure -> LOG.warn("Node heartbeat failed; will retry", failure)));
    }

    /** Leaves the registry after the activity writer wrote this node's devices offline. */
    void onStop(@Observes @Priority(ShutdownOrder.NODE) ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        pool.preparedQuery("DELETE FROM platform_nodes WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    public String id() {
        return id;
    }

    /** Beats the heartbeat and sweeps lost nodes; returns the number of devices written offline. */
    Uni<Integer> beat() {
        return pool.preparedQuery("UPDATE platform_nodes SET heartbeat_at = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .chain(() -> pool.preparedQuery(SWEEP)
                        .execute(Tuple.of((double) config.lostAfterSeconds(), id, DisconnectReason.NODE_LOST.name())))
                .map(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.warnf("Wrote %d devices of lost platform nodes offline", rows.rowCount());
                    }
                    return rows.rowCount();
                });
    }
}
