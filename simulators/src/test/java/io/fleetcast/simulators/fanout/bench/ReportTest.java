package io.fleetcast.simulators.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Result files, medians, the markdown tables and the SVG chart. */
class ReportTest {

    @TempDir
    Path dir;

    static List<ResultRow> threeRuns() {
        return List.of(
                new ResultRow(1, "mosquitto", "S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, 100_000, ""),
                new ResultRow(2, "mosquitto", "S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, 120_000, ""),
                new ResultRow(3, "mosquitto", "S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, 80_000, ""),
                new ResultRow(1, "hivemq", "S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, 200_000, ""),
                new ResultRow(2, "hivemq", "S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, 210_000, ""),
                new ResultRow(3, "hivemq", "S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, 190_000, ""),
                new ResultRow(1, "mosquitto", "S2-qos0", Metric.P99_MS, 4, ""),
                new ResultRow(1, "hivemq", "S2-qos0", Metric.P99_MS, 2, ""),
                new ResultRow(1, "mosquitto", "S10", Metric.BURST_MAX_MS, 1, ""),
                ResultRow.failed(1, "fleetcast", "all", "first connection failed: [CONNACK REFUSED]"));
    }

    @Test
    void rows_survive_a_round_trip_through_the_csv_file() throws Exception {
        ResultFile file = new ResultFile(dir.resolve("run-1.csv"));
        threeRuns().forEach(file::append);

        List<ResultRow> read = ResultFile.read(List.of(file.path()));

        assertThat(read).hasSize(threeRuns().size());
        assertThat(read.get(0)).isEqualTo(threeRuns().get(0));
        assertThat(read.get(read.size() - 1).isFailure()).isTrue();
        assertThat(read.get(read.size() - 1).note()).isEqualTo("first connection failed: [CONNACK REFUSED]");
    }

    @Test
    void medians_pick_the_middle_run_and_the_best_broker_by_direction() {
        Medians medians = new Medians(threeRuns());

        assertThat(medians.median("S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND, "mosquitto"))
                .hasValue(100_000);
        assertThat(medians.best("S2-qos0", Metric.KNEE_DELIVERED_PER_SECOND)).hasValue(200_000);
        assertThat(medians.best("S2-qos0", Metric.P99_MS)).hasValue(2);
        assertThat(medians.scenarios()).containsExactly("S2-qos0", "S10");
    }

    @Test
    void tables_show_median_runs_and_ratios_and_failures_keep_their_reason() {
        Properties meta = new Properties();
        meta.setProperty("cpu", "Test CPU");
        meta.setProperty("command", "QUICK=1 simulators/bench/fanout.sh");
        meta.setProperty("smoke", "true");

        String md = MarkdownReport.results(new Medians(threeRuns()), meta, "fanout-knee.svg");

        assertThat(md)
                .contains("**Smoke run**")
                .contains("QUICK=1 simulators/bench/fanout.sh")
                .contains("Test CPU")
                .contains("### S2-qos0")
                .contains("| Metric | mosquitto | hivemq | fleetcast |")
                .contains("| delivered msg/s at the knee ↑ | 100,000 [80,000–120,000] (1.00× · 0.50×)"
                        + " | 200,000 [190,000–210,000] (2.00× · 1.00×) |  |")
                .contains("| p99 latency below the knee ↓ | 4.00 ms (1.00× · 2.00×) | 2.00 ms (0.50× · 1.00×) |  |")
                .contains("fleetcast, all: failed: run 1: first connection failed: [CONNACK REFUSED]")
                .contains("![Delivered messages per second at the knee](fanout-knee.svg)");
    }

    @Test
    void a_busy_machine_is_called_out() {
        Properties meta = new Properties();
        meta.setProperty("loadAverageBefore", "15.2 9.1 4.0");
        meta.setProperty("loadAverageAfter", "1.0 1.0 1.0");

        assertThat(MarkdownReport.results(new Medians(threeRuns()), meta, null))
                .contains("**Warning:** the load average was 15.2 before");
        meta.setProperty("loadAverageBefore", "0.4 0.3 0.2");
        assertThat(MarkdownReport.results(new Medians(threeRuns()), meta, null)).doesNotContain("Warning");
    }

    @Test
    void the_chart_is_well_formed_svg_with_one_bar_per_broker_and_scenario() throws Exception {
        String svg = MarkdownReport.chart(new Medians(threeRuns()));

        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        // One background, two bars (S2-qos0: mosquitto, hivemq), three legend swatches.
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 2 + 3);
        assertThat(svg).contains("S2-qos0").contains("n/a").contains("<title>hivemq: 200k</title>");
    }

    @Test
    void axis_tops_are_round_numbers_and_labels_compact() {
        assertThat(SvgBarChart.niceCeiling(173_000)).isEqualTo(200_000);
        assertThat(SvgBarChart.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(SvgBarChart.compact(1_250_000)).isEqualTo("1.3M");
        assertThat(SvgBarChart.compact(45_000)).isEqualTo("45k");
        assertThat(MarkdownReport.ratio(OptionalDouble.of(-3), OptionalDouble.of(2)))
                .isEqualTo("–");
        assertThat(MarkdownReport.ratio(OptionalDouble.of(3), OptionalDouble.empty()))
                .isEqualTo("–");
    }

    @Test
    void the_report_replaces_only_what_is_between_the_markers() throws Exception {
        Path page = dir.resolve("fanout.md");
        Files.writeString(page, "# Method\n\n" + FanoutReport.BEGIN + "\nold\n" + FanoutReport.END + "\n\n## After\n");
        ResultFile file = new ResultFile(dir.resolve("run-1.csv"));
        threeRuns().forEach(file::append);

        FanoutReport.write(dir, page, "chart.svg");

        String written = Files.readString(page);
        assertThat(written)
                .startsWith("# Method\n\n" + FanoutReport.BEGIN)
                .endsWith(FanoutReport.END + "\n\n## After\n");
        assertThat(written).doesNotContain("old").contains("### S2-qos0");
        assertThat(dir.resolve("chart.svg")).exists();
    }
}
