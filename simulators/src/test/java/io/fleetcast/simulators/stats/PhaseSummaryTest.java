package io.fleetcast.simulators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseSummaryTest {

    @Test
    void rate_counts_successes_per_second_of_wall_time() {
        PhaseSummary summary = summary(10_000, 0, 4_000_000_000L);

        assertThat(summary.ratePerSecond()).isCloseTo(2500.0, within(1e-9));
        assertThat(summary.seconds()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void failed_operations_are_not_throughput() {
        assertThat(summary(9_000, 1_000, 1_000_000_000L).ratePerSecond()).isCloseTo(9000.0, within(1e-9));
    }

    @Test
    void exactly_one_in_a_thousand_failed_is_within_budget() {
        assertThat(summary(9_990, 10, 1).withinFailureBudget(0.001)).isTrue();
    }

    @Test
    void more_than_one_in_a_thousand_failed_is_over_budget() {
        assertThat(summary(9_989, 11, 1).withinFailureBudget(0.001)).isFalse();
    }

    @Test
    void an_empty_phase_is_within_budget() {
        PhaseSummary empty = summary(0, 0, 0);

        assertThat(empty.failureRatio()).isZero();
        assertThat(empty.withinFailureBudget(0.001)).isTrue();
    }

    static PhaseSummary summary(long succeeded, long failed, long wallNanos) {
        return new PhaseSummary(
                "provision",
                "window",
                "latency",
                succeeded + failed,
                succeeded,
                failed,
                wallNanos,
                LatencySummary.EMPTY,
                Map.of());
    }
}
