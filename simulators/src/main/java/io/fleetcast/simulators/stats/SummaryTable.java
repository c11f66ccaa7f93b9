package io.fleetcast.simulators.stats;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats phase summaries as the plain-text table a benchmark prints at the end. */
public final class SummaryTable {

    private static final String ROW = "%-11s %8s %7s %8s %9s %8s %8s %8s%n";

    private SummaryTable() {}

    public static String format(List<PhaseSummary> phases) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT, ROW, "phase", "ok", "failed", "seconds", "rate/s", "p50 ms", "p99 ms", "max ms"));
        for (PhaseSummary phase : phases) {
            table.append(String.format(
                    Locale.ROOT,
                    ROW,
                    phase.name(),
                    phase.succeeded(),
                    phase.failed(),
                    String.format(Locale.ROOT, "%.3f", phase.seconds()),
                    String.format(Locale.ROOT, "%.1f", phase.ratePerSecond()),
                    String.format(Locale.ROOT, "%.2f", phase.latency().p50Millis()),
                    String.format(Locale.ROOT, "%.2f", phase.latency().p99Millis()),
                    String.format(Locale.ROOT, "%.2f", phase.latency().maxMillis())));
        }
        table.append(System.lineSeparator());
        for (PhaseSummary phase : phases) {
            table.append(String.format(
                    Locale.ROOT,
                    "%-11s seconds: %s; latency: %s%n",
                    phase.name(),
                    phase.window(),
                    phase.latencyMeaning()));
        }
        if (phases.stream().anyMatch(phase -> phase.failed() > 0)) {
            table.append(System.lineSeparator()).append(failures(phases));
        }
        return table.toString();
    }

    /** One line per phase and reason, most frequent reasons first. */
    public static String failures(List<PhaseSummary> phases) {
        StringBuilder lines = new StringBuilder("failures:").append(System.lineSeparator());
        for (PhaseSummary phase : phases) {
            for (Map.Entry<String, Long> failure : phase.failures().entrySet()) {
                lines.append(String.format(
                        Locale.ROOT, "  %-11s %8d  %s%n", phase.name(), failure.getValue(), failure.getKey()));
            }
        }
        return lines.toString();
    }
}
