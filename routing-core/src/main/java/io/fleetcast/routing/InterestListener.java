package io.fleetcast.routing;

/**
 * Told when a filter gains its first subscription on this node or loses its last, so a cluster can
 * hold one route per filter per node rather than one per subscriber. Called under the index's write
 * lock: implementations must be quick and must not touch the index.
 */
public interface InterestListener {

    InterestListener NONE = new InterestListener() {
        @Override
        public void added(String filter) {}

        @Override
        public void removed(String filter) {}
    };

    /** The filter (without any {@code $share/} prefix) has its first subscription. */
    void added(String filter);

    /** The filter has lost its last subscription. */
    void removed(String filter);

    /**
     * A share group on a filter has its first member on this node, so a cluster can balance the
     * group's messages over the nodes with members (see {@link
     * io.fleetcast.routing.broker.ClusterLink#balancesSharedSubscriptions()}).
     */
    default void sharedAdded(String filter, String group) {}

    /** A share group on a filter has lost its last member on this node. */
    default void sharedRemoved(String filter, String group) {}
}
