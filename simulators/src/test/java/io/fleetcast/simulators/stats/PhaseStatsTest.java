package io.fleetcast.simulators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhaseStatsTest {

    private final PhaseStats stats =
            new PhaseStats("connect", "first CONNECT to last CONNACK", "CONNECT to CONNACK", 10);

    @Test
    void counts_successes_and_failures_by_reason_most_frequent_first() {
        stats.start(System.nanoTime());
        stats.succeeded(TimeUnit.MILLISECONDS.toNanos(1));
        stats.failed("connect: timeout");
        stats.failed("connect: CONNACK NOT_AUTHORIZED");
        stats.failed("connect: CONNACK NOT_AUTHORIZED");

        PhaseSummary summary = stats.summarize();

        assertThat(summary.succeeded()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(3);
        assertThat(summary.attempted()).isEqualTo(4);
        assertThat(summary.failures())
                .containsExactly(entry("connect: CONNACK NOT_AUTHORIZED", 2L), entry("connect: timeout", 1L));
    }

    @Test
    void latency_percentiles_come_from_recorded_samples() {
        stats.start(System.nanoTime());
        for (int millis = 1; millis <= 100; millis++) {
            stats.succeeded(TimeUnit.MILLISECONDS.toNanos(millis));
        }

        LatencySummary latency = stats.summarize().latency();

        // Three significant digits: HdrHistogram may report a value up to 0.1% above the sample.
        assertThat(latency.p50Millis()).isBetween(50.0, 50.1);
        assertThat(latency.p99Millis()).isBetween(99.0, 99.1);
        assertThat(latency.maxMillis()).isBetween(100.0, 100.1);
    }

    @Test
    void wall_time_runs_from_start_to_last_success() {
        // A phase that started 20 ms ago, rather than waiting 20 ms.
        long start = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(20);
        stats.start(start);
        stats.succeeded(1);

        PhaseSummary summary = stats.summarize();

        assertThat(summary.wallNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(summary.wallNanos()).isLessThanOrEqualTo(System.nanoTime() - start);
    }

    @Test
    void a_phase_without_success_has_no_wall_time_and_no_rate() {
        stats.start(System.nanoTime());
        stats.failed("connect: timeout");

        PhaseSummary summary = stats.summarize();

        assertThat(summary.wallNanos()).isZero();
        assertThat(summary.ratePerSecond()).isZero();
        assertThat(summary.latency()).isEqualTo(LatencySummary.EMPTY);
    }
}
