package io.fleetcast.agent.internal;

import java.util.function.Consumer;

/**
 * One MQTT connection, from CONNECT until it goes down; a reconnect opens a new one. Methods return at
 * once; acknowledgements arrive on the given callbacks, possibly on another thread.
 */
interface Connection {

    void subscribe(String topicFilter, int qos, Consumer<Ack> acked);

    void publish(String topic, byte[] payload, int qos, Consumer<Ack> acked);

    /** Sends DISCONNECT with reason 0x00 (normal); {@code done} runs once it is sent or has failed. */
    void disconnect(Runnable done);

    /** Drops the connection without DISCONNECT, if still open, and releases its threads. Idempotent. */
    void close();

    /**
     * What happens on a connection. Exactly one of {@link #connected}, {@link #refused} and {@link
     * #connectFailed} ends the CONNECT; after {@link #connected}, at most one of {@link
     * #disconnectedByServer} and {@link #lost} ends the connection, unless the agent ended it itself.
     */
    interface Events {

        /** CONNACK with reason 0x00. */
        void connected();

        /** CONNACK with a reason code of 0x80 or above. */
        void refused(int reasonCode, String reason);

        /** No CONNACK: network, TLS or timeout. */
        void connectFailed(String problem);

        /** The server sent DISCONNECT. {@code reasonString} is null when the server sent none. */
        void disconnectedByServer(int reasonCode, String reasonString);

        /** The connection broke without DISCONNECT. */
        void lost(String problem);

        void messageArrived(String topic, byte[] payload);
    }
}
