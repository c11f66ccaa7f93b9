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
}
