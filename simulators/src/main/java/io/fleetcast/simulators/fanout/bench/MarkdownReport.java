package io.fleetcast.simulators.fanout.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The results part of docs/benchmarks/fanout.md: the machine and the command, a chart, then one
 * table per scenario with each broker's median over the runs and its ratio to Mosquitto and to
 * the best broker. Ratios are plain quotients; whether higher is better depends on the metric and
 * is stated in each row.
 */
final class MarkdownReport {

    static final String REFERENCE = "mosquitto";
    /** Above this 1-minute load average something besides the benchmark ran on the 2 cores. */
    static final double BUSY_LOAD = 2.5;
    /** The scenarios whose knee the chart shows. */
    static final List<String> CHART_SCENARIOS =
            List.of("S1-qos0", "S2-qos0", "S4-qos0", "S6", "S1-qos1", "S2-qos1", "S4-qos1");

    private MarkdownReport() {}

    static String results(Medians medians, Properties meta, String chartFile) {
        StringBuilder md = new StringBuilder();
        boolean smoke = Boolean.parseBoolean(meta.getProperty("smoke", "false"));
        if (smoke) {
            md.append("> **Smoke run** (`--quick`: ")
                    .append(meta.getProperty("subscribers", "?"))
                    .append(" subscribers, short steps, ")
                    .append(meta.getProperty("runs", "?"))
                    .append(" run). These figures only show that the harness works; the full benchmark"
                            + " replaces them.\n\n");
        }
        double load = firstNumber(meta.getProperty("loadAverageBefore", ""));
        double loadAfter = firstNumber(meta.getProperty("loadAverageAfter", ""));
        if (load > BUSY_LOAD || loadAfter > BUSY_LOAD) {
            md.append(String.format(
                    Locale.ROOT,
                    "> **Warning:** the load average was %.1f before and %.1f after the run on %s cores:"
                            + " other processes competed with the brokers and the generator, so these figures"
                            + " are not reliable, not even as ratios.%n%n",
                    load,
                    loadAfter,
                    meta.getProperty("cores", "?")));
        }
        md.append("Measured ")
                .append(meta.getProperty("date", "?"))
                .append(" with:\n\n```\n")
                .append(meta.getProperty("command", "?"))
                .append("\n```\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "CPU", meta.getProperty("cpu", "?") + ", " + meta.getProperty("cores", "?") + " cores");
        row(md, "Kernel", meta.getProperty("kernel", "?"));
        row(md, "Java", meta.getProperty("java", "?"));
        row(md, "Broker JVM options", "`" + meta.getProperty("jvmOptions", "") + "`");
        row(md, "Open files per process", meta.getProperty("openFiles", "?"));
        for (String broker : medians.brokers()) {
            row(md, broker, meta.getProperty("version." + broker, "not started"));
        }
        row(
                md,
                "Load average before / after",
                meta.getProperty("loadAverageBefore", "?") + " / " + meta.getProperty("loadAverageAfter", "?"));
        row(md, "Runs", meta.getProperty("runs", "?") + " (median reported)");
        row(
                md,
                "Subscribers",
                meta.getProperty("subscribers", "?") + " held; S1 " + meta.getProperty("small", "?") + ", S2/S6/S7 "
                        + meta.getProperty("mid", "?") + ", S4/S5 all");
        md.append('\n');

        if (!medians.failures().isEmpty()) {
            md.append("### Failures\n\n");
            medians.failures()
                    .forEach((broker, byScenario) -> byScenario.forEach((scenario, reasons) -> md.append("- ")
                            .append(broker)
                            .append(", ")
                            .append(scenario)
                            .append(": failed: ")
                            .append(reasons.stream().distinct().collect(Collectors.joining("; ")))
                            .append('\n')));
            md.append('\n');
        }

        if (chartFile != null) {
            md.append("![Delivered messages per second at the knee](")
                    .append(chartFile)
                    .append(")\n\n");
        }
        md.append("Each cell: the median over the runs, [lowest–highest] when there are several runs, then")
                .append(" (ratio to ")
                .append(REFERENCE)
                .append(" · ratio to the best broker). ↑ higher is better,")
                .append(" ↓ lower is better.\n\n");
        for (String scenario : medians.scenarios()) {
            md.append("### ").append(scenario).append("\n\n| Metric |");
            medians.brokers().forEach(broker -> md.append(' ').append(broker).append(" |"));
            md.append("\n|---|");
            medians.brokers().forEach(broker -> md.append("---:|"));
            md.append('\n');
            for (Map.Entry<Metric, Map<String, Medians.Cell>> byMetric :
                    medians.scenario(scenario).entrySet()) {
                Metric metric = byMetric.getKey();
                OptionalDouble reference =
                        metric.hasRatios() ? medians.median(scenario, metric, REFERENCE) : OptionalDouble.empty();
                OptionalDouble best = metric.hasRatios() ? medians.best(scenario, metric) : OptionalDouble.empty();
                md.append("| ")
                        .append(metric.label())
                        .append(metric.higherIsBetter() ? " ↑" : " ↓")
                        .append(" |");
                for (String broker : medians.brokers()) {
                    Medians.Cell cell = byMetric.getValue().get(broker);
                    md.append(' ')
                            .append(cell == null ? "" : cell(cell, metric, reference, best))
                            .append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Chart categories that have any knee figure, and per category one median per broker. */
    static String chart(Medians medians) {
        List<String> categories = new ArrayList<>();
        List<List<OptionalDouble>> values = new ArrayList<>();
        for (String scenario : CHART_SCENARIOS) {
            List<OptionalDouble> perBroker = medians.brokers().stream()
                    .map(b -> medians.median(scenario, Metric.KNEE_DELIVERED_PER_SECOND, b))
                    .toList();
            if (perBroker.stream().anyMatch(OptionalDouble::isPresent)) {
                categories.add(scenario);
                values.add(perBroker);
            }
        }
        return SvgBarChart.render(
                "Delivered msg/s at the knee (median of runs; higher is better)",
                "deliveries per second",
                categories,
                medians.brokers(),
                values);
    }

    static String cell(Medians.Cell cell, Metric metric, OptionalDouble reference, OptionalDouble best) {
        OptionalDouble median = cell.median();
        if (median.isEmpty()) {
            return "n/a";
        }
        StringBuilder text = new StringBuilder(number(median.getAsDouble(), metric));
        List<Double> values =
                cell.values().stream().filter(v -> !v.isNaN()).sorted().toList();
        if (values.size() > 1) {
            text.append(" [")
                    .append(number(values.get(0), metric))
                    .append("–")
                    .append(number(values.get(values.size() - 1), metric))
                    .append(']');
        }
        if (reference.isEmpty() && best.isEmpty()) {
            return text.toString();
        }
        return text.append(" (")
                .append(ratio(median, reference))
                .append(" · ")
                .append(ratio(median, best))
                .append(')')
                .toString();
    }

    /** NaN if there is no number, so that a comparison with {@link #BUSY_LOAD} is false. */
    static double firstNumber(String text) {
        try {
            return Double.parseDouble(text.trim().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    static String number(double v, Metric metric) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (metric.unit().equals("B")) {
            return Math.abs(v) >= 1 << 20
                    ? String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20))
                    : String.format(Locale.ROOT, "%,.0f B", v);
        }
        if (metric.unit().equals("ms")) {
            return String.format(Locale.ROOT, "%.2f ms", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Only between positive figures: a memory growth below zero is noise, not a ratio. */
    static String ratio(OptionalDouble value, OptionalDouble reference) {
        if (value.isEmpty() || reference.isEmpty() || value.getAsDouble() <= 0 || reference.getAsDouble() <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", value.getAsDouble() / reference.getAsDouble());
    }
}
