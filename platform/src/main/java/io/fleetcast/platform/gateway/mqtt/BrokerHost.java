package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.cluster.Cluster;
import io.fleetcast.routing.InterestListener;
import io.fleetcast.routing.broker.Broker;
import io.fleetcast.routing.broker.BrokerConfig;
import io.fleetcast.routing.broker.BrokerEvents;
import io.fleetcast.routing.broker.BrokerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Creates this node's broker engine (from routing-core) with the gateway's authenticator and limits,
 * and exports its counters to Prometheus.
 */
@ApplicationScoped
public class BrokerHost {

    private static final Logger LOG = Logger.getLogger(BrokerHost.class);

    /** Room for the fixed header, topic and properties around the largest payload. */
    private static final int PACKET_OVERHEAD = 1024;

    @Produces
    @Singleton
    Broker broker(Gateway gateway, GatewayConfig config, MeterRegistry registry, Cluster cluster) {
        BrokerConfig limits = BrokerConfig.builder()
                .maxPacketBytes(config.maxPayloadBytes() + PACKET_OVERHEAD)
                .maxQueuedMessages(config.maxQueuedMessages())
                .maxSessionExpirySeconds(config.maxSessionExpirySeconds())
                .connectTimeoutMillis(config.connectTimeoutSeconds() * 1000L)
                .slowConsumerMillis(config.slowConsumerMillis())
                .maxPacketsPerSecond(config.maxPacketsPerSecond())
                .maxSubscriptionsPerSession(config.maxSubscriptions())
                .build();
        // The cluster link connects first: the index reports interest from the first subscription on.
        InterestListener interest = cluster.connect();
        Broker broker = new Broker(
                limits, new GatewayAuthenticator(gateway), cluster.events(new Events(gateway.metrics)), interest);
        cluster.attach(broker);
        export(broker, registry);
        if (config.anonymous()) {
            LOG.warn("MQTT anonymous mode is on: clients without credentials are accepted (testing only)");
        }
        return broker;
    }

    private static void export(Broker broker, MeterRegistry registry) {
        BrokerStats stats = broker.stats();
        Gauge.builder("fleetcast.mqtt.connections", broker, Broker::connectionCount)
                .description("Open MQTT connections on this node")
                .register(registry);
        Gauge.builder("fleetcast.mqtt.sessions", broker, Broker::sessionCount)
                .description("MQTT sessions on this node, connected or kept for an offline client")
                .register(registry);
        Gauge.builder("fleetcast.mqtt.subscriptions", broker, b -> b.index().size())
                .register(registry);
        Gauge.builder("fleetcast.mqtt.retained", broker, b -> b.retained().size())
                .register(registry);
        counter(registry, "fleetcast.mqtt.published", stats.published, null);
        counter(registry, "fleetcast.mqtt.delivered", stats.delivered, null);
        counter(registry, "fleetcast.mqtt.redelivered", stats.redelivered, null);
        counter(registry, "fleetcast.mqtt.dropped", stats.droppedSlow, "slow_consumer");
        counter(registry, "fleetcast.mqtt.dropped", stats.droppedQueueFull, "queue_full");
        counter(registry, "fleetcast.mqtt.dropped", stats.droppedExpired, "expired");
        counter(registry, "fleetcast.mqtt.dropped", stats.droppedTooLarge, "too_large");
        counter(registry, "fleetcast.mqtt.slow.consumers", stats.slowConsumers, null);
        counter(registry, "fleetcast.mqtt.wills", stats.willsPublished, null);
    }

    private static void counter(MeterRegistry registry, String name, LongAdder adder, String reason) {
        FunctionCounter.Builder<LongAdder> builder = FunctionCounter.builder(name, adder, LongAdder::sum);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        builder.register(registry);
    }

    /** The engine's refusals, as the gateway's metrics and log lines. */
    private static final class Events implements BrokerEvents {
        private final GatewayMetrics metrics;

        Events(GatewayMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void rejected(String reason, String client) {
            metrics.rejected(reason);
            LOG.infof("MQTT rejected %s reason=%s", client, reason);
        }

        @Override
        public void connectRefused(String reason, String address) {
            metrics.rejected(reason);
            LOG.infof("CONNECT refused address=%s reason=%s", address, reason);
        }

        @Override
        public void slowConsumer(String client) {
            metrics.rejected("slow_consumer");
            LOG.infof("Disconnecting slow consumer %s", client);
        }
    }
}
