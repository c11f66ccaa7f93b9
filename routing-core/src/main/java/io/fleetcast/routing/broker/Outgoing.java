package io.fleetcast.routing.broker;

/**
 * A QoS 1 or 2 delivery to one session: queued, or in flight waiting for its acknowledgement.
 *
 * <p>{@code packetId} is 0 while queued. {@code released} is set once PUBREC arrived and PUBREL was
 * sent (QoS 2), so a resend after reconnect sends PUBREL rather than the PUBLISH again.
 */
final class Outgoing {
    Message message;
    final int qos;
    final boolean retain;
    final int subscriptionId;
    int packetId;
    boolean released;
    /** Unacknowledged from an earlier connection, waiting for room in the new one's Receive Maximum. */
    boolean resendPending;

    Outgoing(Message message, int qos, boolean retain, int subscriptionId) {
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionId = subscriptionId;
    }
}
