package io.fleetcast.agent.internal;

/** Connections over Eclipse Paho's MQTT 5 client. */
final class PahoTransport implements Transport {

    @Override
    public Connection connect(ConnectSettings settings, Connection.Events events) {
        PahoConnection connection = new PahoConnection(settings, events);
        connection.start();
        return connection;
    }
}
