package io.fleetcast.routing.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a broker reaches the other nodes of its cluster. The subscription index tells the link which
 * filters have local subscribers (see {@link io.fleetcast.routing.InterestListener}); the link keeps
 * one route per filter per node and hands messages from other nodes to {@link Broker#acceptRemote}.
 */
public interface ClusterLink {

    /** A single node: nothing to forward, no session lives elsewhere. */
    ClusterLink NONE = new ClusterLink() {
        @Override
        public void forward(Message message) {}

        @Override
        public CompletionStage<SessionSnapshot> takeOver(String clientId, boolean cleanStart) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /** Sends a message published on this node to every other node with a matching route. Never blocks. */
    void forward(Message message);

    /**
     * Called before a session opens on this node: another node holding the client id must cut its
     * connection and, unless {@code cleanStart}, hand over the session's state.
     *
     * @return the session's state from another node, or null when no other node had it (or it was
     *     dropped because of Clean Start)
     */
    CompletionStage<SessionSnapshot> takeOver(String clientId, boolean cleanStart);

    /**
     * True when the link balances shared subscriptions over the cluster: it delivers each message to
     * one node among those with members of a share group, through {@link Broker#acceptShared}, so the
     * broker leaves share groups out of its own routing. False by default: each node then picks one
     * member of its own, and a message reaches one member per node.
     */
    default boolean balancesSharedSubscriptions() {
        return false;
    }
}
