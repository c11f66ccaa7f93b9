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

    /** The defaults named in each component's description above. */
    public static final BrokerConfig DEFAULT = builder().build();

    public static Builder builder() {
        return new Builder();
    }

    /** Sets some limits and keeps the defaults of the others. */
    public static final class Builder {
        private TopicLimits topicLimits = TopicLimits.DEFAULT;
        private int maxPacketBytes = 256 * 1024;
        private int receiveMaximum = 64;
        private int maxInflight = 32;
        private int maxQueuedMessages = 1000;
        private int topicAliasMaximum = 16;
        private long maxSessionExpirySeconds = 7 * 24 * 3600L;
        private int maxKeepAliveSeconds = 3600;
        private long connectTimeoutMillis = 10_000;
        private long slowConsumerMillis = 10_000;
        private long maxPendingWriteBytes = 8 * 1024 * 1024;
        private int maxPacketsPerSecond = 10_000;
        private int maxRetainedMessages = 1_000_000;
        private int maxSubscriptionsPerSession = 100;

        private Builder() {}

        public Builder maxPacketBytes(int bytes) {
            this.maxPacketBytes = bytes;
            return this;
        }

        public Builder maxQueuedMessages(int messages) {
            this.maxQueuedMessages = messages;
            return this;
        }

        public Builder maxSessionExpirySeconds(long seconds) {
            this.maxSessionExpirySeconds = seconds;
            return this;
        }

        public Builder connectTimeoutMillis(long millis) {
            this.connectTimeoutMillis = millis;
            return this;
        }

        public Builder slowConsumerMillis(long millis) {
            this.slowConsumerMillis = millis;
            return this;
        }

        public Builder maxPendingWriteBytes(long bytes) {
            this.maxPendingWriteBytes = bytes;
            return this;
        }

        public Builder maxPacketsPerSecond(int packets) {
            this.maxPacketsPerSecond = packets;
            return this;
        }

        public Builder maxSubscriptionsPerSession(int subscriptions) {
            this.maxSubscriptionsPerSession = subscriptions;
            return this;
        }

        public BrokerConfig build() {
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
                    maxPacketsPerSecond,
                    maxRetainedMessages,
                    maxSubscriptionsPerSession);
        }
    }
}
