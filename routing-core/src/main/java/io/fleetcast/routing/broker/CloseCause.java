package io.fleetcast.routing.broker;

/** Why a client connection ended, as the broker saw it. */
public enum CloseCause {
    /** The client sent DISCONNECT. */
    CLIENT_DISCONNECT,
    /** The network connection broke or the client closed it without DISCONNECT. */
    CONNECTION_LOST,
    /** Nothing heard for one and a half keep-alive intervals. */
    KEEP_ALIVE_TIMEOUT,
    /** Another connection took the session over. */
    TAKEN_OVER,
    /** The client broke the protocol: malformed packet, flood, bad topic alias and the like. */
    PROTOCOL_ERROR,
    /** The client could not keep up and was cut off (slow consumer). */
    SLOW_CONSUMER,
    /** The application closed it through {@link ClientHandle#disconnect}. */
    KICKED,
    /** The broker is shutting down. */
    SERVER_SHUTDOWN
}
