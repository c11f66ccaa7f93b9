package io.fleetcast.routing.broker;

/**
 * Lets the host reach one connection: send it a message that no other client gets (an answer to a
 * request), or cut it off. Methods may be called from any thread.
 */
public interface ClientHandle {

    /** The client id of the session. */
    String clientId();

    /** True for an MQTT 5 client. */
    boolean isV5();

    /** Sends a message to this client only, whether or not it subscribed to the topic. */
    void send(Message message);

    /**
     * Sends DISCONNECT with an MQTT 5 reason code and reason string (MQTT 3.1.1 clients just see the
     * connection close), then closes. The policy then hears {@link CloseCause#KICKED}.
     */
    void disconnect(int reasonCode, String reason);

    /** True while the network connection is open. */
    boolean isOpen();
}
