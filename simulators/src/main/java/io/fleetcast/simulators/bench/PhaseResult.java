package io.fleetcast.simulators.bench;

import io.fleetcast.simulators.stats.PhaseSummary;
import java.util.Map;

/** One phase in the JSON result file; rounded, since more digits than this are noise. */
public record PhaseResult(
        String name,
        String window,
        String latency,
        long attempted,
        long succeeded,
        long failed,
        double seconds,
        double ratePerSecond,
        double p50Millis,
        double p99Millis,
        double maxMillis,
        Map<String, Long> failures) {

    static PhaseResult of(PhaseSummary summary) {
        return new PhaseResult(
                summary.name(),
                summary.window(),
                summary.latencyMeaning(),
                summary.attempted(),
                summary.succeeded(),
                summary.failed(),
                round(summary.seconds(), 1000),
                round(summary.ratePerSecond(), 10),
                round(summary.latency().p50Millis(), 1000),
                round(summary.latency().p99Millis(), 1000),
                round(summary.latency().maxMillis(), 1000),
                summary.failures());
    }

    private static double round(double value, int scale) {
        return Math.round(value * scale) / (double) scale;
    }
}
