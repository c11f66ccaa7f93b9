package io.fleetcast.routing.broker;

import io.fleetcast.routing.TopicFilter;

/**
 * The rights and hooks of one accepted connection, given by the {@link Authenticator}. Every method is
 * called on the connection's event loop and must not block.
 */
public interface ClientPolicy {

    /** Called once the session is open and CONNACK is on its way; the handle reaches this client only. */
    default void opened(ClientHandle handle) {}

    /**
     * Decides one PUBLISH: refuse it, route it, or take it for the host alone. The topic is already
     * valid (no wildcards, within limits, aliases resolved).
     *
     * <p>Also decides the client's will message when the broker is about to publish it: at once when
     * the connection is lost, or after {@link #closed} for a will with a Will Delay Interval (still on
     * the event loop of the client's last connection). A refused will is dropped.
     */
    PublishVerdict onPublish(Message message);

    /**
     * Decides one subscription of a SUBSCRIBE.
     *
     * @return the granted QoS (0 to 2, at most {@code requestedQos}), or an MQTT 5 SUBACK reason code
     *     of 0x80 and above to refuse it
     */
    int onSubscribe(TopicFilter filter, int requestedQos);

    /** Called once when the connection is gone, whoever closed it. */
    default void closed(CloseCause cause) {}

    /** Who this is, for log lines, e.g. {@code deviceId=... tenantId=...}. */
    String describe();
}
