package io.fleetcast.simulators.fanout.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Results as CSV, one row per figure: {@code run,broker,scenario,metric,value,note}. Rows are
 * appended as they are measured, so a run that dies halfway still leaves what it measured.
 */
public final class ResultFile {

    static final String HEADER = "run,broker,scenario,metric,value,note";

    private final Path path;

    public ResultFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public synchronized void append(ResultRow row) {
        try {
            if (!Files.exists(path)) {
                Files.writeString(path, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(path, format(row) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(ResultRow row) {
        return String.format(
                Locale.ROOT,
                "%d,%s,%s,%s,%s,%s",
                row.run(),
                row.broker(),
                row.scenario(),
                row.metric().key(),
                Double.isNaN(row.value()) ? "" : String.format(Locale.ROOT, "%.6g", row.value()),
                // Notes are free text; commas and line breaks would break the columns.
                row.note().replace(',', ';').replaceAll("\\R", " "));
    }

    /** Reads every row of the given files; unknown metrics (from newer versions) are skipped. */
    public static List<ResultRow> read(List<Path> files) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.equals(HEADER)) {
                    continue;
                }
                String[] f = line.split(",", 6);
                Metric.ofKey(f[3])
                        .ifPresent(metric -> rows.add(new ResultRow(
                                Integer.parseInt(f[0]),
                                f[1],
                                f[2],
                                metric,
                                f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]),
                                f.length > 5 ? f[5] : "")));
            }
        }
        return rows;
    }
}
