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
     * Whether a member of a share group can take a message now. The index picks members round robin
     * and passes over those that cannot (a persistent session that is offline would only queue the
     * message while others could handle it); when none can, the member picked first gets it. By
     * default every member can.
     */
    default boolean canTake(S member) {
        return true;
    }
}
