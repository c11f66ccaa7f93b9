package io.fleetcast.routing.broker;

import io.fleetcast.routing.TopicLimits;

/**
 * Limits of the broker engine. Every per-connection resource is bounded here so one client can never
 * take memory from the others.
 *
 * @param topicLimits longest topic and deepest topic accepted
 * @param maxPacketBytes largest packet accepted from a client, also announced as Maximum Packet Size
 * @param receiveMaximum QoS 1 and 2 PUBLISHes a client may have unacknowledged towards the broker
 * @param maxInflight QoS 1 and 2 deliveries the broker has unacknowledged towards one client (capped
 *     further by the client's own Receive Maximum)
 * @param maxQueuedMessages messages waiting per session behind a full inflight window or while a
 *     persistent session is offline; beyond it new messages are dropped and counted
 * @param topicAliasMaximum topic aliases a client may use towards the broker
 * @param maxSessionExpirySeconds cap on the session expiry a client asks for; MQTT 3.1.1 persistent
 *     sessions get exactly this
 * @param maxKeepAliveSeconds cap on a client's keep alive, announced as Server Keep Alive when lower
 * @param connectTimeoutMillis time a new connection has to send CONNECT
 * @param slowConsumerMillis a client whose socket stays unwritable this long while messages are
 *     dropped for it is disconnected
 * @param maxPendingWriteBytes bytes written but not yet sent to one client beyond which it is
 *     disconnected at once
 * @param maxPacketsPerSecond inbound packets per second one connection may send before it is
 *     disconnected as a flood (averaged over one second windows)
 * @param maxRetainedMessages retained messages kept; new ones beyond are refused
 * @param maxSubscriptionsPerSession subscriptions one session may hold
 */
public record BrokerConfig(
        TopicLimits topicLimits,
        int maxPacketBytes,
        int receiveMaximum,
        int maxInflight,
        int maxQueuedMessages,
        int topicAliasMaximum,
        long maxSessionExpirySeconds,
        int maxKeepAliveSeconds,
        long connectTimeoutMillis,
        long slowConsumerMillis,
        long maxPendingWriteBytes,
        int maxPacketsPerSecond,
        int maxRetainedMessages,
        int maxSubscriptionsPerSession) {

    public static final BrokerConfig DEFAULT = new BrokerConfig(
            TopicLimits.DEFAULT,
            256 * 1024,
            64,
            32,
            1000,
            16,
            7 * 24 * 3600L,
            3600,
            10_000,
            10_000,
            8 * 1024 * 1024,
            10_000,
            1_000_000,
            100);

    public BrokerConfig withMaxPacketBytes(int bytes) {
        return new BrokerConfig(
                topicLimits,
                bytes,
                receiveMaximum,
                maxInflight,
                maxQueuedMessages,
                topicAliasMaximum,
                maxSessionExpirySeconds,
                maxKeepAliveSeconds,
                connectTimeoutMillis,
                slowConsumerMillis,
                maxPendingWriteBytes,
                maxPacketsPerSecond,
                maxRetainedMessages,
                maxSubscriptionsPerSession);
    }

    public BrokerConfig withConnectTimeoutMillis(long millis) {
        return new BrokerConfig(
                topicLimits,
                maxPacketBytes,
                receiveMaximum,
                maxInflight,
                maxQueuedMessages,
                topicAliasMaximum,
                maxSessionExpirySeconds,
                maxKeepAliveSeconds,
                millis,
                slowConsumerMillis,
                maxPendingWriteBytes,
                maxPacketsPerSecond,
                maxRetainedMessages,
                maxSubscriptionsPerSession);
    }

    public BrokerConfig withSlowConsumer(long millis, long pendingBytes) {
        return new BrokerConfig(
                topicLimits,
                maxPacketBytes,
                receiveMaximum,
                maxInflight,
                maxQueuedMessages,
                topicAliasMaximum,
                maxSessionExpirySeconds,
                maxKeepAliveSeconds,
                connectTimeoutMillis,
                millis,
                pendingBytes,
                maxPacketsPerSecond,
                maxRetainedMessages,
                maxSubscriptionsPerSession);
    }

    public BrokerConfig withMaxPacketsPerSecond(int packets) {
        return new BrokerConfig(
                topicLimits,
                maxPacketBytes,
                receiveMaximum,
                maxInflight,
                maxQueuedMessages,
                topicAliasMaximum,
                maxSessionExpirySeconds,
                maxKeepAliveSeconds,
                connectTimeoutMillis,
                slowConsumerMillis,
                maxPendingWriteBytes,
                packets,
                maxRetainedMessages,
                maxSubscriptionsPerSession);
    }

    public BrokerConfig withMaxQueuedMessages(int messages) {
        return new BrokerConfig(
                topicLimits,
                maxPacketBytes,
                receiveMaximum,
                maxInflight,
                messages,
                topicAliasMaximum,
                maxSessionExpirySeconds,
                maxKeepAliveSeconds,
                connectTimeoutMillis,
                slowConsumerMillis,
                maxPendingWriteBytes,
                maxPacketsPerSecond,
                maxRetainedMessages,
                maxSubscriptionsPerSession);
    }
}
