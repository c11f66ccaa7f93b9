package io.fleetcast.simulators.stats;

import java.util.Map;

/**
 * The outcome of one benchmark phase.
 *
 * @param window what the phase's wall time spans, e.g. "first CONNECT to last CONNACK"
 * @param latencyMeaning what one latency sample spans, e.g. "CONNECT to CONNACK"
 * @param wallNanos from the phase's start to its last successful operation
 * @param failures failed operations by reason, most frequent first
 */
public record PhaseSummary(
        String name,
        String window,
        String latencyMeaning,
        long expected,
        long succeeded,
        long failed,
        long wallNanos,
        LatencySummary latency,
        Map<String, Long> failures) {

    public long attempted() {
        return succeeded + failed;
    }

    public double seconds() {
        return wallNanos / 1e9;
    }

    /** Successful operations per second of wall time; failed ones do not count as throughput. */
    public double ratePerSecond() {
        return wallNanos <= 0 ? 0 : succeeded * 1e9 / wallNanos;
    }

    public double failureRatio() {
        return attempted() == 0 ? 0 : (double) failed / attempted();
    }

    public boolean withinFailureBudget(double maxFailureRatio) {
        return failureRatio() <= maxFailureRatio;
    }
}
