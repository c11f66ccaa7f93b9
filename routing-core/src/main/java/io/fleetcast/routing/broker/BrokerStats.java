package io.fleetcast.routing.broker;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the broker engine, cheap enough for the fan-out path (striped adders, no locks). The host
 * exports them, e.g. as Prometheus counters.
 */
public final class BrokerStats {

    /** PUBLISH packets accepted from clients and the platform. */
    public final LongAdder published = new LongAdder();
    /** PUBLISH packets written to subscribers. */
    public final LongAdder delivered = new LongAdder();
    /** QoS 0 deliveries dropped because the subscriber's socket was full. */
    public final LongAdder droppedSlow = new LongAdder();
    /** Deliveries dropped because the session's queue was full. */
    public final LongAdder droppedQueueFull = new LongAdder();
    /** Messages dropped because their message expiry passed before delivery. */
    public final LongAdder droppedExpired = new LongAdder();
    /** Deliveries dropped because the packet exceeded the client's Maximum Packet Size. */
    public final LongAdder droppedTooLarge = new LongAdder();
    /** QoS 1 and 2 deliveries sent again after a reconnect. */
    public final LongAdder redelivered = new LongAdder();
    /** Clients disconnected for not keeping up. */
    public final LongAdder slowConsumers = new LongAdder();
    /** Will messages published. */
    public final LongAdder willsPublished = new LongAdder();
}
