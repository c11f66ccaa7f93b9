package io.fleetcast.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.simulators.provisioning.Serials;
import io.fleetcast.simulators.stats.LatencySummary;
import io.fleetcast.simulators.stats.PhaseSummary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkResultTest {

    private static final BenchmarkSettings SETTINGS = new BenchmarkSettings(
            new InetSocketAddress("127.0.0.1", 1883),
            URI.create("http://127.0.0.1:8080"),
            "token",
            10_000,
            256,
            "sim-tv",
            new Serials("run", 10_000),
            0,
            new Serials("run-w", 1),
            Duration.ofSeconds(30));

    @Test
    void headline_rates_sit_on_their_own_lines_for_shell_scripts() throws IOException {
        BenchmarkResult result = BenchmarkResult.of(
                SETTINGS,
                List.of(phase("provision", 10_000, 0, 4_000_000_000L), phase("connect", 10_000, 0, 2_000_000_000L)),
                0.001);

        // bench/provision-connect.sh extracts these lines with sed; keep the layout.
        assertThat(result.toJson().lines().toList())
                .contains("  \"provisioningsPerSecond\" : 2500.0,", "  \"connectsPerSecond\" : 5000.0,");
        assertThat(result.withinFailureBudget()).isTrue();
    }

    @Test
    void one_phase_over_budget_fails_the_run() {
        BenchmarkResult result = BenchmarkResult.of(
                SETTINGS, List.of(phase("provision", 10_000, 0, 1), phase("connect", 9_900, 100, 1)), 0.001);

        assertThat(result.withinFailureBudget()).isFalse();
        assertThat(ProvisionConnectCommand.failureReport(List.of(phase("connect", 9_900, 100, 1))))
                .contains("FAILED: connect: 100 of 10000 operations failed (1.00%, limit 0.1%)");
    }

    private static PhaseSummary phase(String name, long succeeded, long failed, long wallNanos) {
        return new PhaseSummary(
                name,
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
