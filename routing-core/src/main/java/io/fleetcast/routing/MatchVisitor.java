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
}
