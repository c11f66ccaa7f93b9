package io.fleetcast.simulators.fanout.bench;

import io.fleetcast.simulators.fanout.broker.BrokerLauncher;
import io.fleetcast.simulators.fanout.broker.FleetcastLauncher;
import io.fleetcast.simulators.fanout.broker.HiveMqLauncher;
import io.fleetcast.simulators.fanout.broker.MosquittoLauncher;
import io.fleetcast.simulators.fanout.broker.NatsLauncher;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The fan-out comparison as a command; bench/fanout.sh builds, pins and calls it. */
@Command(
        name = "fanout",
        mixinStandardHelpOptions = true,
        description = {
            "Starts each broker in turn and runs the fan-out scenarios S0-S7 against it: idle connections,"
                    + " 1 publisher to many subscribers at QoS 0 and 1, bursts, wildcards, stalled subscribers.",
            "Results go to <results>/run-<n>.csv as they are measured; progress to standard error."
        })
public final class FanoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--brokers",
            split = ",",
            defaultValue = "mosquitto,nats,hivemq,fleetcast",
            description = "Brokers in the order they run. Default: ${DEFAULT-VALUE}")
    List<String> brokers;

    @Option(names = "--runs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}")
    int runs;

    @Option(names = "--quick", description = "Smoke run: 2,000 subscribers, short steps, 1 run unless --runs is given.")
    boolean quick;

    @Option(names = "--subscribers", description = "Connections held; default 19,000 (2,000 with --quick).")
    Integer subscribers;

    @Option(names = "--warmup-ms", description = "Unmeasured part of each step.")
    Long warmupMillis;

    @Option(names = "--measure-ms", description = "Measured part of each step.")
    Long measureMillis;

    @Option(names = "--max-steps", description = "Steps per ramp at most.")
    Integer maxSteps;

    @Option(names = "--start-deliveries", description = "Deliveries/s of each ramp's first step.")
    Double startDeliveries;

    @Option(names = "--stall-rate", description = "S7 publish rate; default half the broker's own S2 QoS 0 knee.")
    Double stallRate;

    @Option(
            names = "--scenarios",
            split = ",",
            description = "Only these scenarios, e.g. S5 or S2,S4 (S0 always runs: it connects). Default: all.")
    List<String> scenarios;

    @Option(names = "--mqtt-version", defaultValue = "3.1.1", description = "3.1.1 or 5. Default: ${DEFAULT-VALUE}")
    String mqttVersion;

    @Option(
            names = "--broker-cpus",
            defaultValue = "1",
            description = "taskset CPU list for brokers. Default: ${DEFAULT-VALUE}")
    String brokerCpus;

    @Option(
            names = "--jvm-options",
            defaultValue = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch",
            description = "Options for the Java brokers, alike. The heap is pre-touched so that RSS growth"
                    + " counts native memory only. Default: ${DEFAULT-VALUE}")
    String jvmOptions;

    @Option(
            names = "--platform-jar",
            defaultValue = "platform/target/quarkus-app/quarkus-run.jar",
            description = "Default: ${DEFAULT-VALUE}")
    Path platformJar;

    @Option(names = "--fleetcast-version", defaultValue = "dev", description = "Reported in results.")
    String fleetcastVersion;

    @Option(
            names = "--hivemq-classpath",
            description = "File holding HiveMQ CE's runtime classpath (fanout.sh writes it).")
    Path hivemqClasspath;

    @Option(names = "--hivemq-version", defaultValue = "2025.5", description = "Reported in results.")
    String hivemqVersion;

    @Option(
            names = "--results",
            required = true,
            description = "Directory for run-<n>.csv, meta.properties and broker logs.")
    Path resultsDir;

    @Option(
            names = "--command-line",
            description = "The command to show on the results page (fanout.sh passes its own).")
    String commandLine;

    @Override
    public Integer call() throws IOException, InterruptedException {
        FanoutSettings settings = settings();
        int effectiveRuns = quick && spec.commandLine().getParseResult().matchedOption("--runs") == null ? 1 : runs;
        List<BrokerLauncher> launchers = new ArrayList<>();
        for (String broker : brokers) {
            launchers.add(launcher(broker.trim()));
        }
        List<String> brokerJvm = Arrays.stream(jvmOptions.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
        Files.createDirectories(resultsDir);
        Properties meta = meta(settings, effectiveRuns);
        writeMeta(meta);
        PrintWriter err = spec.commandLine().getErr();
        Instant start = Instant.now();
        FanoutBenchmark benchmark =
                new FanoutBenchmark(settings, launchers, effectiveRuns, brokerCpus, brokerJvm, resultsDir, err);
        benchmark.run();
        meta.setProperty("loadAverageAfter", MachineInfo.loadAverage());
        benchmark.versions().forEach((name, version) -> meta.setProperty("version." + name, version));
        meta.setProperty(
                "durationSeconds",
                Long.toString(Duration.between(start, Instant.now()).toSeconds()));
        writeMeta(meta);
        err.printf(
                "fan-out benchmark done in %d s; results in %s%n",
                Duration.between(start, Instant.now()).toSeconds(), resultsDir);
        err.flush();
        return 0;
    }

    private FanoutSettings settings() {
        FanoutSettings base = quick ? FanoutSettings.quick() : FanoutSettings.full();
        int n = subscribers != null ? subscribers : base.subscribers();
        if (n < 10) {
            throw invalid("--subscribers must be at least 10");
        }
        // The fan-out sizes keep their proportions when the total changes: 19,000 → 10,000 and 1,000.
        double scale = (double) n / base.subscribers();
        int mid = Math.max(1, (int) Math.round(base.midSubscribers() * scale));
        int small = Math.max(1, (int) Math.round(base.smallSubscribers() * scale));
        int unrelated = (int) Math.round(base.unrelatedSubscriptions() * scale);
        FanoutSettings s = base.withSubscribers(n, mid, small, unrelated);
        MqttVersion version =
                switch (mqttVersion) {
                    case "3.1.1" -> MqttVersion.MQTT_3_1_1;
                    case "5" -> MqttVersion.MQTT_5;
                    default -> throw invalid("--mqtt-version must be 3.1.1 or 5");
                };
        return new FanoutSettings(
                s.subscribers(),
                s.midSubscribers(),
                s.smallSubscribers(),
                s.unrelatedSubscriptions(),
                startDeliveries != null ? startDeliveries : s.startDeliveries(),
                s.stepFactor(),
                maxSteps != null ? maxSteps : s.maxSteps(),
                warmupMillis != null ? Duration.ofMillis(warmupMillis) : s.warmup(),
                measureMillis != null ? Duration.ofMillis(measureMillis) : s.measure(),
                s.minMessages(),
                s.drainTimeout(),
                s.bursts(),
                s.stalledFraction(),
                s.stall(),
                stallRate != null ? stallRate : s.stallRate(),
                s.connectsPerSecond(),
                s.connectsInFlight(),
                s.qos1Window(),
                s.eventLoops(),
                version,
                chosenScenarios());
    }

    private Set<String> chosenScenarios() {
        if (scenarios == null) {
            return Set.of();
        }
        Set<String> chosen = new HashSet<>();
        for (String scenario : scenarios) {
            String id = scenario.trim().toUpperCase(Locale.ROOT);
            if (!id.matches("S[1-7]") || id.equals("S3")) {
                throw invalid("unknown scenario " + scenario + " (S1, S2, S4, S5, S6, S7)");
            }
            chosen.add(id);
        }
        return chosen;
    }

    private BrokerLauncher launcher(String name) {
        return switch (name) {
            case "mosquitto" -> new MosquittoLauncher();
            case "nats" -> new NatsLauncher();
            case "hivemq" -> new HiveMqLauncher(hivemqClasspath, hivemqVersion);
            case "fleetcast" -> new FleetcastLauncher(platformJar, fleetcastVersion);
            default -> throw invalid("unknown broker " + name + " (mosquitto, nats, hivemq, fleetcast)");
        };
    }

    private Properties meta(FanoutSettings settings, int effectiveRuns) {
        Properties meta = new Properties();
        MachineInfo.addTo(meta);
        meta.setProperty("date", Instant.now().truncatedTo(ChronoUnit.MINUTES).toString());
        meta.setProperty(
                "command",
                commandLine != null
                        ? commandLine
                        : "simulators fanout "
                                + String.join(
                                        " ", spec.commandLine().getParseResult().originalArgs()));
        meta.setProperty("loadAverageBefore", MachineInfo.loadAverage());
        meta.setProperty("smoke", Boolean.toString(quick));
        meta.setProperty("runs", Integer.toString(effectiveRuns));
        meta.setProperty("subscribers", Integer.toString(settings.subscribers()));
        meta.setProperty("mid", Integer.toString(settings.midSubscribers()));
        meta.setProperty("small", Integer.toString(settings.smallSubscribers()));
        meta.setProperty("settings", settings.toString());
        meta.setProperty("jvmOptions", jvmOptions);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            meta.setProperty("openFiles", Long.toString(unix.getMaxFileDescriptorCount()));
        }
        return meta;
    }

    private void writeMeta(Properties meta) throws IOException {
        try (Writer writer = Files.newBufferedWriter(resultsDir.resolve(FanoutReport.META), StandardCharsets.UTF_8)) {
            meta.store(writer, "fan-out benchmark");
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
