package io.fleetcast.simulators.fanout.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Writes the results into docs/benchmarks/fanout.md between the {@value #BEGIN} and {@value #END}
 * markers (the method text around them is written by hand) and the chart next to it.
 */
public final class FanoutReport {

    static final String BEGIN = "<!-- fanout-results:begin -->";
    static final String END = "<!-- fanout-results:end -->";
    static final String META = "meta.properties";

    private FanoutReport() {}

    /** Reads run-*.csv and meta.properties from {@code resultsDir}, updates {@code page} and writes the chart beside it. */
    public static void write(Path resultsDir, Path page, String chartName) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(resultsDir)) {
            files = list.filter(p -> p.getFileName().toString().matches("run-\\d+\\.csv"))
                    .sorted()
                    .toList();
        }
        Medians medians = new Medians(ResultFile.read(files));
        Properties meta = new Properties();
        Path metaFile = resultsDir.resolve(META);
        if (Files.exists(metaFile)) {
            try (Reader reader = Files.newBufferedReader(metaFile, StandardCharsets.UTF_8)) {
                meta.load(reader);
            }
        }
        Files.writeString(page.resolveSibling(chartName), MarkdownReport.chart(medians), StandardCharsets.UTF_8);
        String results = MarkdownReport.results(medians, meta, chartName);
        String existing = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        Files.writeString(page, splice(existing, results), StandardCharsets.UTF_8);
    }

    /** Replaces what is between the markers, or appends the markers and results if there are none. */
    static String splice(String page, String results) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        String block = BEGIN + "\n\n" + results + END;
        if (begin < 0 || end < begin) {
            return page + (page.isEmpty() || page.endsWith("\n") ? "" : "\n") + block + "\n";
        }
        return page.substring(0, begin) + block + page.substring(end + END.length());
    }
}
