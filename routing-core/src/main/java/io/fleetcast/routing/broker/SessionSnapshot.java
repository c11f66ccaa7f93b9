package io.fleetcast.routing.broker;

import io.fleetcast.routing.SubscriptionOptions;
import java.util.List;

/**
 * A persistent session as it moves between nodes: its subscriptions and the messages queued for it.
 * Deliveries in flight are moved as queued messages (they are sent again, as MQTT allows after a
 * reconnect).
 *
 * @param clientId the session's client id
 * @param expirySeconds its Session Expiry Interval
 * @param subscriptions raw filters (with any {@code $share/} prefix) and their options
 * @param queued messages waiting for the client, oldest first, with the QoS each is to be sent at
 */
public record SessionSnapshot(
        String clientId, long expirySeconds, List<SubscriptionEntry> subscriptions, List<QueuedEntry> queued) {

    public record SubscriptionEntry(String filter, SubscriptionOptions options) {}

    public record QueuedEntry(Message message, int qos, boolean retain, int subscriptionId) {}
}
