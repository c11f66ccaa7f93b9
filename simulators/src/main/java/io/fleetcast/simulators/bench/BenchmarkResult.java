package io.fleetcast.simulators.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetcast.simulators.stats.PhaseSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON result of one provision-connect run. The headline rates sit at the top level, one per
 * line, so that shell scripts can pick them out without a JSON tool.
 *
 * @param connectsPerSecond first CONNECT to last CONNACK
 * @param stateReportsPerSecond first CONNECT to last state PUBACK
 * @param withinFailureBudget false when some phase failed more than {@code maxFailureRatio}
 */
public record BenchmarkResult(
        String serialPrefix,
        int devices,
        int concurrency,
        String mqtt,
        String api,
        double provisioningsPerSecond,
        double connectsPerSecond,
        double stateReportsPerSecond,
        double disconnectsPerSecond,
        double maxFailureRatio,
        boolean withinFailureBudget,
        List<PhaseResult> phases) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static BenchmarkResult of(BenchmarkSettings settings, List<PhaseSummary> summaries, double maxFailureRatio) {
        List<PhaseResult> phases = summaries.stream().map(PhaseResult::of).toList();
        return new BenchmarkResult(
                settings.serials().prefix(),
                settings.devices(),
                settings.concurrency(),
                settings.mqttServer().getHostString() + ":"
                        + settings.mqttServer().getPort(),
                settings.apiUrl().toString(),
                rate(phases, "provision"),
                rate(phases, "connect"),
                rate(phases, "state"),
                rate(phases, "disconnect"),
                maxFailureRatio,
                summaries.stream().allMatch(summary -> summary.withinFailureBudget(maxFailureRatio)),
                phases);
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), this);
    }

    String toJson() throws IOException {
        return MAPPER.writeValueAsString(this);
    }

    private static double rate(List<PhaseResult> phases, String name) {
        return phases.stream()
                .filter(phase -> phase.name().equals(name))
                .mapToDouble(PhaseResult::ratePerSecond)
                .findFirst()
                .orElse(0);
    }
}
