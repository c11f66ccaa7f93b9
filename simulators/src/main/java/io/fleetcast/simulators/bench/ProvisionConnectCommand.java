package io.fleetcast.simulators.bench;

import io.fleetcast.simulators.api.PlatformApiException;
import io.fleetcast.simulators.provisioning.Serials;
import io.fleetcast.simulators.stats.PhaseSummary;
import io.fleetcast.simulators.stats.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The provision-connect benchmark as a command: options, the run, the summary and the exit code. */
@Command(
        name = "provision-connect",
        mixinStandardHelpOptions = true,
        description = {
            "Provisions devices by claim, connects them all with their credentials (each reports its state"
                    + " once), then disconnects them. Reports provisionings/s, connects/s and latencies.",
            "Progress goes to standard error, the summary table to standard output."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every phase within the failure budget",
            "1:more than 0.1%% of some phase's operations failed",
            "2:invalid options",
            "3:the platform was not ready or refused to create the model or claim"
        })
public final class ProvisionConnectCommand implements Callable<Integer> {

    /** More failed operations than this share of a phase fails the run. */
    static final double MAX_FAILURE_RATIO = 0.001;

    static final int EXIT_FAILURE_BUDGET = 1;
    static final int EXIT_PLATFORM = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--mqtt-host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}")
    String mqttHost;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "Default: ${DEFAULT-VALUE}")
    int mqttPort;

    @Option(names = "--api-url", defaultValue = "http://127.0.0.1:8080", description = "Default: ${DEFAULT-VALUE}")
    URI apiUrl;

    @Option(names = "--api-token", required = true, description = "The platform's dev API token.")
    String apiToken;

    @Option(names = "--devices", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}")
    int devices;

    @Option(
            names = "--concurrency",
            defaultValue = "256",
            description = "Operations in flight at most. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(names = "--model", defaultValue = "sim-tv", description = "Default: ${DEFAULT-VALUE}")
    String model;

    @Option(
            names = "--serial-prefix",
            description = "Serials are <prefix>-<index>; the platform refuses a serial twice, so the"
                    + " default is a random run id.")
    String serialPrefix;

    @Option(
            names = "--timeout-seconds",
            defaultValue = "30",
            description = "Bound on each single operation. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    @Option(
            names = "--warmup-devices",
            defaultValue = "2000",
            description = "Devices provisioned, connected and disconnected first, not measured, so that"
                    + " both JVMs have compiled their hot paths. Default: ${DEFAULT-VALUE}")
    int warmupDevices;

    @Option(names = "--json", description = "Also write the result as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws InterruptedException, IOException {
        BenchmarkSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        List<PhaseSummary> summaries;
        try {
            summaries = new ProvisionConnectBenchmark(settings, err).run();
        } catch (PlatformApiException e) {
            err.println("error: " + e.getMessage());
            return EXIT_PLATFORM;
        }

        BenchmarkResult result = BenchmarkResult.of(settings, summaries, MAX_FAILURE_RATIO);
        out.print(SummaryTable.format(summaries));
        out.flush();
        if (json != null) {
            result.write(json);
        }
        if (!result.withinFailureBudget()) {
            err.print(failureReport(summaries));
            err.flush();
            return EXIT_FAILURE_BUDGET;
        }
        return 0;
    }

    private BenchmarkSettings settings() {
        if (devices < 1) {
            throw invalid("--devices must be positive");
        }
        if (concurrency < 1) {
            throw invalid("--concurrency must be positive");
        }
        if (warmupDevices < 0) {
            throw invalid("--warmup-devices must not be negative");
        }
        if (timeoutSeconds < 1) {
            throw invalid("--timeout-seconds must be positive");
        }
        if (mqttPort < 1 || mqttPort > 65535) {
            throw invalid("--mqtt-port must be 1 to 65535");
        }
        OptionalLong fileLimit = OpenFileLimit.current();
        long needed = OpenFileLimit.needed(devices, concurrency);
        if (fileLimit.isPresent() && fileLimit.getAsLong() < needed) {
            throw invalid(String.format(
                    Locale.ROOT,
                    "%d devices held connected need about %d open files, the limit is %d:"
                            + " raise it (ulimit -n) or spread devices over processes",
                    devices,
                    needed,
                    fileLimit.getAsLong()));
        }
        InetSocketAddress mqtt = new InetSocketAddress(mqttHost, mqttPort);
        if (mqtt.isUnresolved()) {
            throw invalid("--mqtt-host " + mqttHost + " does not resolve");
        }
        Serials serials;
        Serials warmupSerials;
        try {
            String prefix = serialPrefix != null ? serialPrefix : Serials.randomPrefix(new SecureRandom());
            serials = new Serials(prefix, devices);
            // "-w" cannot collide with the measured serials, whose next character is a digit.
            warmupSerials = new Serials(prefix + "-w", Math.max(1, warmupDevices));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        return new BenchmarkSettings(
                mqtt,
                apiUrl,
                apiToken,
                devices,
                concurrency,
                model,
                serials,
                warmupDevices,
                warmupSerials,
                Duration.ofSeconds(timeoutSeconds));
    }

    static String failureReport(List<PhaseSummary> summaries) {
        StringBuilder report = new StringBuilder();
        for (PhaseSummary summary : summaries) {
            if (!summary.withinFailureBudget(MAX_FAILURE_RATIO)) {
                report.append(String.format(
                        Locale.ROOT,
                        "FAILED: %s: %d of %d operations failed (%.2f%%, limit %.1f%%)%n",
                        summary.name(),
                        summary.failed(),
                        summary.attempted(),
                        summary.failureRatio() * 100,
                        MAX_FAILURE_RATIO * 100));
            }
        }
        return report.append(SummaryTable.failures(summaries)).toString();
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
