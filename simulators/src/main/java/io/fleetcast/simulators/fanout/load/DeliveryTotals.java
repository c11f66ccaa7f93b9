package io.fleetcast.simulators.fanout.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The sum of every event loop's {@link SubscriberStats} for one step. */
public final class DeliveryTotals {

    private final Histogram latencyNanos = new Histogram(SubscriberStats.HIGHEST_NANOS, 3);
    private long measured;
    private long warmup;
    private long inWindow;
    private long duplicates;
    private long stale;
    private long foreign;
    private long stalledDeliveries;
    private long lastArrivalNanos = Long.MIN_VALUE;
    private long disconnects;

    synchronized void add(SubscriberStats stats) {
        latencyNanos.add(stats.latencyNanos);
        measured += stats.measured;
        warmup += stats.warmup;
        inWindow += stats.inWindow;
        duplicates += stats.duplicates;
        stale += stats.stale;
        foreign += stats.foreign;
        stalledDeliveries += stats.stalledDeliveries;
        lastArrivalNanos = Math.max(lastArrivalNanos, stats.lastArrivalNanos);
        disconnects += stats.disconnects;
    }

    /** Unique measured deliveries: each counts once per subscriber. */
    public synchronized long measured() {
        return measured;
    }

    public synchronized long total() {
        return measured + warmup;
    }

    /** Deliveries that arrived inside the step's measurement window, whatever their sequence. */
    public synchronized long inWindow() {
        return inWindow;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long stale() {
        return stale;
    }

    public synchronized long foreign() {
        return foreign;
    }

    /** Deliveries to subscribers that were told to stop reading, read before they stopped. */
    public synchronized long stalledDeliveries() {
        return stalledDeliveries;
    }

    public synchronized long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Connections closed since the subscribers connected (not reset between steps). */
    public synchronized long disconnects() {
        return disconnects;
    }

    public synchronized double percentileMillis(double percentile) {
        if (latencyNanos.getTotalCount() == 0) {
            return Double.NaN;
        }
        return latencyNanos.getValueAtPercentile(percentile) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    public synchronized double maxMillis() {
        if (latencyNanos.getTotalCount() == 0) {
            return Double.NaN;
        }
        return latencyNanos.getMaxValue() / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
