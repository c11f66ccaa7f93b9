package io.fleetcast.simulators.fanout.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Delivery counters and the latency histogram of the subscribers on one event loop. Only that loop
 * writes them; {@link Subscribers} reads and resets them with a task on the same loop, so no field
 * needs to be volatile or atomic on the hot path.
 */
final class SubscriberStats {

    /** Latencies above this are clamped: a delivery that late is a failed run anyway. */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(5);

    final Histogram latencyNanos = new Histogram(HIGHEST_NANOS, 3);
    long measured;
    long warmup;
    long inWindow;
    long duplicates;
    long stale;
    long foreign;
    long stalledDeliveries;
    long lastArrivalNanos = Long.MIN_VALUE;
    long disconnects;
    /** Every PUBLISH received, whatever it was; never reset, so a poll can see traffic stop. */
    long arrivals;

    void recordLatency(long nanos) {
        latencyNanos.recordValue(Math.max(0, Math.min(nanos, HIGHEST_NANOS)));
    }

    /** Adds this loop's counts to {@code total} and starts from zero; runs on this loop. */
    void drainInto(DeliveryTotals total) {
        total.add(this);
        latencyNanos.reset();
        measured = 0;
        warmup = 0;
        inWindow = 0;
        duplicates = 0;
        stale = 0;
        foreign = 0;
        stalledDeliveries = 0;
        lastArrivalNanos = Long.MIN_VALUE;
    }
}
