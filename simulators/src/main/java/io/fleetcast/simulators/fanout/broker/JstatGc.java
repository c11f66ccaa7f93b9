package io.fleetcast.simulators.fanout.broker;

import java.util.List;

/** Parses {@code jstat -gc}: a header line of column names and a line of values in KiB. */
final class JstatGc {

    private static final List<String> USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");

    private JstatGc() {}

    static long usedHeapBytes(String output) {
        String[] lines = output.strip().split("\\R");
        if (lines.length < 2) {
            throw new IllegalArgumentException("unexpected jstat output: " + output);
        }
        String[] names = lines[lines.length - 2].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kib = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (USED_COLUMNS.contains(names[i])) {
                kib += Double.parseDouble(values[i]);
            }
        }
        return (long) (kib * 1024);
    }
}
