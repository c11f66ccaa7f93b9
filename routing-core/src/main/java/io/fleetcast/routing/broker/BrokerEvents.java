package io.fleetcast.routing.broker;

/**
 * What the broker tells its host about, for metrics and logs. Implementations must be cheap and
 * thread-safe: they are called on the event loops.
 */
public interface BrokerEvents {

    BrokerEvents NONE = new BrokerEvents() {};

    /** A packet refused or a connection closed for breaking a rule; {@code reason} is a stable word. */
    default void rejected(String reason, String client) {}

    /** A CONNECT was refused before any policy was involved (malformed, bad protocol version). */
    default void connectRefused(String reason, String address) {}

    /** A client was disconnected because it could not keep up. */
    default void slowConsumer(String client) {}

    /**
     * A session began on this node: a new one, or one restored from another node. A cluster link
     * uses it to know which client ids this node answers for.
     */
    default void sessionStarted(String clientId) {}

    /** A session ended on this node: expired, replaced by Clean Start, or handed to another node. */
    default void sessionEnded(String clientId) {}
}
