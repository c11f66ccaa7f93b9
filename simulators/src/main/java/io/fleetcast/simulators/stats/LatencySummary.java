package io.fleetcast.simulators.stats;

import org.HdrHistogram.Histogram;

/** The latency percentiles a benchmark reports, in microseconds. */
public record LatencySummary(long p50Micros, long p99Micros, long maxMicros) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0);

    /** @param micros must no longer be recorded into */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(
                micros.getValueAtPercentile(50), micros.getValueAtPercentile(99), micros.getMaxValue());
    }

    public double p50Millis() {
        return p50Micros / 1000.0;
    }

    public double p99Millis() {
        return p99Micros / 1000.0;
    }

    public double maxMillis() {
        return maxMicros / 1000.0;
    }
}
