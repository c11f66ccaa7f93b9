package io.fleetcast.agent.internal;

/** Opens MQTT connections: {@link PahoTransport} on devices, an in-memory fake in tests. */
interface Transport {

    /**
     * Starts connecting and returns at once. The outcome, and later everything that happens on the
     * connection, arrives on {@code events}, possibly on another thread.
     */
    Connection connect(ConnectSettings settings, Connection.Events events);
}
