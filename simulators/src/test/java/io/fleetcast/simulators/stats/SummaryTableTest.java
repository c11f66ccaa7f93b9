package io.fleetcast.simulators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    private static final PhaseSummary PROVISION = new PhaseSummary(
            "provision",
            "first CONNECT to last claim connection closed",
            "CONNECT to provisioning response",
            10_000,
            10_000,
            0,
            4_000_000_000L,
            new LatencySummary(12_345, 45_600, 80_100),
            Map.of());

    @Test
    void prints_one_row_per_phase_with_rate_and_latencies_in_milliseconds() {
        String table = SummaryTable.format(List.of(PROVISION));

        assertThat(table.lines().toList())
                .startsWith(
                        "phase             ok  failed  seconds    rate/s   p50 ms   p99 ms   max ms",
                        "provision      10000       0    4.000    2500.0    12.35    45.60    80.10");
    }

    @Test
    void explains_what_seconds_and_latency_span() {
        assertThat(SummaryTable.format(List.of(PROVISION)))
                .contains("provision   seconds: first CONNECT to last claim connection closed;"
                        + " latency: CONNECT to provisioning response");
    }

    @Test
    void lists_failures_only_when_there_are_some() {
        Map<String, Long> failures = new LinkedHashMap<>();
        failures.put("response: REPLAYED", 7L);
        failures.put("connect: timeout", 2L);
        PhaseSummary failing = new PhaseSummary("provision", "w", "l", 10, 1, 9, 1, LatencySummary.EMPTY, failures);

        assertThat(SummaryTable.format(List.of(PROVISION))).doesNotContain("failures:");
        assertThat(SummaryTable.format(List.of(PROVISION, failing)))
                .contains("failures:")
                .contains("  provision          7  response: REPLAYED")
                .contains("  provision          2  connect: timeout");
    }
}
