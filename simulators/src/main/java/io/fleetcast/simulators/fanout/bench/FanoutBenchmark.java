package io.fleetcast.simulators.fanout.bench;

import io.fleetcast.simulators.fanout.broker.BrokerFailure;
import io.fleetcast.simulators.fanout.broker.BrokerLauncher;
import io.fleetcast.simulators.fanout.broker.BrokerSetup;
import io.fleetcast.simulators.fanout.broker.FreePorts;
import io.fleetcast.simulators.fanout.broker.RunningBroker;
import io.fleetcast.simulators.fanout.load.FanoutFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole comparison: for each run, each broker in turn is started fresh on a free loopback port,
 * pinned to its CPU, put through every scenario, and stopped. Running all brokers within each run
 * (rather than all runs of one broker, then the next) spreads any drift of the machine over all of
 * them. A broker that fails is recorded with its reason and the others carry on.
 */
public final class FanoutBenchmark {

    private final FanoutSettings settings;
    private final List<BrokerLauncher> brokers;
    private final int runs;
    private final String brokerCpus;
    private final List<String> jvmOptions;
    private final Path resultsDir;
    private final PrintWriter progress;
    private final Map<String, String> versions = new LinkedHashMap<>();
    /** The broker running now, so that an interrupted benchmark (SIGTERM) does not leave it behind. */
    private volatile RunningBroker current;

    public FanoutBenchmark(
            FanoutSettings settings,
            List<BrokerLauncher> brokers,
            int runs,
            String brokerCpus,
            List<String> jvmOptions,
            Path resultsDir,
            PrintWriter progress) {
        this.settings = settings;
        this.brokers = brokers;
        this.runs = runs;
        this.brokerCpus = brokerCpus;
        this.jvmOptions = jvmOptions;
        this.resultsDir = resultsDir;
        this.progress = progress;
    }

    /** Runs everything; returns the result file of each run. */
    public List<Path> run() throws IOException, InterruptedException {
        Files.createDirectories(resultsDir);
        Thread stopBroker = new Thread(() -> {
            RunningBroker broker = current;
            if (broker != null) {
                broker.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(stopBroker);
        List<Path> files = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            ResultFile results = new ResultFile(resultsDir.resolve("run-" + run + ".csv"));
            Files.deleteIfExists(results.path());
            for (BrokerLauncher launcher : brokers) {
                runOne(run, launcher, results);
            }
            files.add(results.path());
        }
        Runtime.getRuntime().removeShutdownHook(stopBroker);
        return files;
    }

    /** Broker name to version, as seen while running. */
    public Map<String, String> versions() {
        return versions;
    }

    private void runOne(int run, BrokerLauncher launcher, ResultFile results) throws IOException, InterruptedException {
        String name = launcher.name();
        log("== run %d of %d: %s", run, runs, name);
        String unavailable = launcher.unavailableReason();
        if (unavailable != null) {
            log("  failed: %s", unavailable);
            results.append(ResultRow.failed(run, name, "all", unavailable));
            return;
        }
        Path workDir = Files.createTempDirectory("fanout-" + name + "-");
        long started = System.nanoTime();
        try {
            BrokerSetup setup =
                    new BrokerSetup(workDir, FreePorts.next(), brokerCpus, jvmOptions, Duration.ofSeconds(180));
            try (RunningBroker broker = launcher.start(setup)) {
                current = broker;
                versions.put(name, broker.version());
                log("  %s %s pid %d on port %d", name, broker.version(), broker.pid(), broker.port());
                new BrokerRun(run, broker, settings, results, this::log).execute();
                if (!broker.isAlive()) {
                    results.append(ResultRow.failed(run, name, "all", "broker exited: " + broker.logTail(3)));
                }
            }
        } catch (BrokerFailure | FanoutFailure e) {
            log("  failed: %s", e.getMessage());
            results.append(ResultRow.failed(run, name, "all", e.getMessage()));
        } catch (RuntimeException e) {
            // A bug or a surprise from one broker must not cost the others their run.
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            log("  failed: %s", reason);
            results.append(ResultRow.failed(run, name, "all", reason));
        } finally {
            current = null;
            copyLog(workDir, run, name);
            deleteTree(workDir);
            log("  %s done in %.0f s", name, (System.nanoTime() - started) / 1e9);
        }
    }

    private void copyLog(Path workDir, int run, String name) {
        try {
            Path log = workDir.resolve("broker.log");
            if (Files.exists(log)) {
                Files.copy(log, resultsDir.resolve("run-" + run + "-" + name + ".log"));
            }
        } catch (IOException e) {
            log("  could not keep the broker log: %s", e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is harmless.
        }
    }

    private void log(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    private void log(String line) {
        progress.println(line);
        progress.flush();
    }
}
