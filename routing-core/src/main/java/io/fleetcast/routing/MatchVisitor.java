package io.fleetcast.routing;

/**
 * Receives the matches of {@link SubscriptionIndex#forEachMatch}, one call per subscription and one
 * per share group.
 *
 * <p>Called on the thread that called {@code forEachMatch}, while the index's read lock is held:
 * implementations must not block and must not subscribe or unsubscribe (that would deadlock).
 */
@FunctionalInterface
public interface MatchVisitor<S> {

    void visit(S subscriber, SubscriptionOptions options);

    /**
     * As {@link #visit(Object, SubscriptionOptions)}, with the subscriber's affinity as the index's
     * affinity function gave it when the subscriber last subscribed (null without one). It lets a
     * visitor group subscribers without reading each one, which for a broadcast to a million
     * subscribers is a million cache misses; it may be stale if the subscriber moved since.
     */
    default void visit(S subscriber, SubscriptionOptions options, Object affinity) {
        visit(subscriber, options);
    }

    /**
     * Whether a member of a share group can take a message now. The index picks members round robin
     * and passes over those that cannot (a persistent session that is offline would only queue the
     * message while others could handle it); when none can, the member picked first gets it. By
     * default every member can.
     */
    default boolean canTake(S member) {
        return true;
    }
}
