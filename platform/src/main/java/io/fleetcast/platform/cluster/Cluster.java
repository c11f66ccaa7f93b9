package io.fleetcast.platform.cluster;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.platform.device.PlatformNode;
import io.fleetcast.routing.InterestListener;
import io.fleetcast.routing.broker.Broker;
import io.fleetcast.routing.broker.BrokerEvents;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's membership of the cluster, when {@code fleetcast.cluster.nats-url} is set: the broker
 * host asks it for the interest listener and the events to give the broker, then attaches the broker.
 * Without a NATS URL every method leaves the broker as a single node.
 */
@ApplicationScoped
public class Cluster {

    @Inject
    ClusterConfig config;

    @Inject
    PlatformNode node;

    @Inject
    MeterRegistry registry;

    private NatsClusterLink link;

    /** Connects to NATS, if configured; call before creating the broker. */
    public synchronized InterestListener connect() {
        if (config.natsUrl().isEmpty()) {
            return InterestListener.NONE;
        }
        NatsClusterLink created = new NatsClusterLink(
                config.subjectPrefix(), node.id(), config.unsubscribeDelay(), config.requestTimeout());
        try {
            created.connect(config.natsUrl().get());
        } catch (IOException e) {
            created.close();
            throw new UncheckedIOException(
                    "cannot reach NATS at " + config.natsUrl().get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            created.close();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
        link = created;
        export(created);
        return created;
    }

    /** The broker's events, with session starts and ends also told to the cluster link. */
    public BrokerEvents events(BrokerEvents host) {
        NatsClusterLink clustered = link;
        return clustered == null ? host : new SessionTracking(host, clustered);
    }

    /** Hands the broker to the cluster link and the link to the broker. */
    public void attach(Broker broker) {
        if (link != null) {
            broker.cluster(link);
            link.attach(broker);
        }
    }

    public boolean enabled() {
        return link != null;
    }

    /** True when single-node, or when both NATS connections are up. */
    public boolean connected() {
        return link == null || link.isConnected();
    }

    /** After the gateway closed the device connections: nothing more to forward or hand over. */
    void onStop(@Observes @Priority(ShutdownOrder.CLUSTER) ShutdownEvent event) {
        if (link != null) {
            link.close();
        }
    }

    private void export(NatsClusterLink link) {
        Gauge.builder("fleetcast.cluster.routes", link, NatsClusterLink::routesHeld)
                .description("NATS subscriptions this node holds for topic filters with local subscribers")
                .register(registry);
        Gauge.builder("fleetcast.cluster.sessions", link, NatsClusterLink::sessionsHeld)
                .description("Client ids this node answers takeover requests for")
                .register(registry);
        Gauge.builder("fleetcast.cluster.connected", link, l -> l.isConnected() ? 1 : 0)
                .register(registry);
        counter("fleetcast.cluster.messages.forwarded", link.forwarded, "Messages published to the cluster");
        counter("fleetcast.cluster.messages.received", link.received, "Messages taken from other nodes");
        counter("fleetcast.cluster.messages.duplicates", link.duplicates, "Copies dropped from overlapping routes");
        counter("fleetcast.cluster.messages.failed", link.forwardFailures, "Forwards NATS refused");
        counter(
                "fleetcast.cluster.shared.lost",
                link.sharedLost,
                "Shared-subscription messages for a group that had just lost its members here");
        counter("fleetcast.cluster.takeovers.in", link.sessionsResumed, "Sessions taken over from another node");
        counter("fleetcast.cluster.takeovers.out", link.sessionsHandedOver, "Sessions handed to another node");
        counter("fleetcast.cluster.takeovers.failed", link.takeoverFailures, "Takeover requests without an answer");
    }

    private void counter(String name, LongAdder adder, String description) {
        FunctionCounter.builder(name, adder, LongAdder::sum)
                .description(description)
                .register(registry);
    }

    /** Passes the broker's events on and tells the link which client ids have a session here. */
    private record SessionTracking(BrokerEvents host, NatsClusterLink link) implements BrokerEvents {

        @Override
        public void rejected(String reason, String client) {
            host.rejected(reason, client);
        }

        @Override
        public void connectRefused(String reason, String address) {
            host.connectRefused(reason, address);
        }

        @Override
        public void slowConsumer(String client) {
            host.slowConsumer(client);
        }

        @Override
        public void sessionStarted(String clientId) {
            host.sessionStarted(clientId);
            link.sessionStarted(clientId);
        }

        @Override
        public void sessionEnded(String clientId) {
            host.sessionEnded(clientId);
            link.sessionEnded(clientId);
        }
    }
}
