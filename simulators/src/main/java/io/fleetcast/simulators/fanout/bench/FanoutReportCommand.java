package io.fleetcast.simulators.fanout.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Turns a results directory into the results section of the docs page and its chart. */
@Command(
        name = "fanout-report",
        mixinStandardHelpOptions = true,
        description = "Writes the fan-out results (medians, ratios, machine, chart) into the docs page.")
public final class FanoutReportCommand implements Callable<Integer> {

    @Option(names = "--results", required = true, description = "Directory a fanout run wrote.")
    Path resultsDir;

    @Option(names = "--page", defaultValue = "docs/benchmarks/fanout.md", description = "Default: ${DEFAULT-VALUE}")
    Path page;

    @Option(
            names = "--chart",
            defaultValue = "fanout-knee.svg",
            description = "Chart file, beside the page. Default: ${DEFAULT-VALUE}")
    String chart;

    @Override
    public Integer call() throws IOException {
        FanoutReport.write(resultsDir, page, chart);
        return 0;
    }
}
