package io.fleetcast.agent.bench;

import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.agent.internal.ota.Updater;
import io.fleetcast.agent.internal.ota.UpdaterSettings;
import io.fleetcast.ota.bundle.TrustedKeys;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The agent's download, verify and install of a full bundle against {@code curl} plus {@code
 * sha256sum} of the same file from the same server, run alternately.
 *
 * <p>Contender A is one shell: {@code curl -sS -o file URL && sha256sum file}, timed as a whole. Contender
 * B is the agent's real update path ({@link Updater} with its default downloader and a {@link
 * DirectorySlotManager}) from the assignment until the reboot hook is called, that is "installed,
 * waiting for reboot". Each B run starts from a fresh state directory; afterwards the written slot is
 * compared with the image byte for byte (outside the timing).
 *
 * <p>Usage: {@code OtaInstallBench <url> <image> <public-key.pem> <model> <version> <work-dir> <runs>
 * <bundle-size>}.
 * Prints one line per run, then the medians and their ratio B/A.
 */
public final class OtaInstallBench {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    /** The second line of the shell's {@code times}: its children's user and system time. */
    private static final Pattern CHILD_TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    private final String url;
    private final Path image;
    private final TrustedKeys keys;
    private final String model;
    private final String version;
    private final Path work;
    private final long bundleSize;

    private OtaInstallBench(String[] args) throws IOException {
        url = args[0];
        image = Path.of(args[1]);
        keys = TrustedKeys.load(List.of(Path.of(args[2])));
        model = args[3];
        version = args[4];
        work = Path.of(args[5]);
        bundleSize = Long.parseLong(args[7]);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println(
                    "usage: OtaInstallBench <url> <image> <public-key.pem> <model> <version> <work-dir> <runs> <bundle-size>");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[6]);
        // The agent's INFO lines per action would interleave with the figures.
        Logger.getLogger("").setLevel(Level.WARNING);
        OtaInstallBench bench = new OtaInstallBench(args);
        Files.createDirectories(bench.work);
        System.out.println("load average before: " + loadAverage());
        // One unmeasured run of each: the server's file and the agent's code paths get warm.
        bench.curlAndSha256sum(0);
        bench.agent(0);
        List<Long> curl = new ArrayList<>();
        List<Long> agent = new ArrayList<>();
        List<Long> curlCpu = new ArrayList<>();
        List<Long> agentCpu = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Timed a = bench.curlAndSha256sum(run);
            Phases b = bench.agent(run);
            curl.add(a.wall);
            agent.add(b.total);
            curlCpu.add(a.cpu);
            agentCpu.add(b.cpu);
            System.out.printf(
                    Locale.ROOT,
                    "run %d: curl+sha256sum %d ms (cpu %d ms), agent %d ms (cpu %d ms; download+verify %d ms,"
                            + " install %d ms), load %s%n",
                    run,
                    ms(a.wall),
                    ms(a.cpu),
                    ms(b.total),
                    ms(b.cpu),
                    ms(b.downloaded),
                    ms(b.total - b.installing),
                    loadAverage());
        }
        long medianA = median(curl);
        long medianB = median(agent);
        System.out.printf(
                Locale.ROOT,
                "median: curl+sha256sum %d ms (cpu %d ms), agent %d ms (cpu %d ms), ratio agent/curl %.2f%n",
                ms(medianA),
                ms(median(curlCpu)),
                ms(medianB),
                ms(median(agentCpu)),
                (double) medianB / medianA);
        System.out.println("load average after: " + loadAverage());
    }

    /** Wall time and the CPU time (user + system) spent on it, in nanoseconds. */
    private record Timed(long wall, long cpu) {}

    /** Contender A: curl and sha256sum together; the CPU time is the children's, as the shell's times reports it. */
    private Timed curlAndSha256sum(int run) throws IOException, InterruptedException {
        Path file = work.resolve("curl-" + run + ".fcota");
        ProcessBuilder shell = new ProcessBuilder(
                        "sh",
                        "-c",
                        "curl -sS -o \"$1\" \"$2\" && sha256sum \"$1\" && times",
                        "sh",
                        file.toString(),
                        url)
                .redirectErrorStream(true);
        long start = System.nanoTime();
        Process process = shell.start();
        byte[] output = process.getInputStream().readAllBytes();
        int exit = process.waitFor();
        long elapsed = System.nanoTime() - start;
        if (exit != 0 || Files.size(file) != bundleSize) {
            throw new IllegalStateException(
                    "curl + sha256sum failed (" + exit + "): " + new String(output, StandardCharsets.UTF_8));
        }
        Files.delete(file);
        String[] lines = new String(output, StandardCharsets.UTF_8).strip().split("\n");
        Matcher times = CHILD_TIMES.matcher(lines[lines.length - 1]);
        if (!times.matches()) {
            throw new IllegalStateException("unexpected output of times: " + lines[lines.length - 1]);
        }
        return new Timed(elapsed, seconds(times.group(1), times.group(2)) + seconds(times.group(3), times.group(4)));
    }

    private static long seconds(String minutes, String seconds) {
        return TimeUnit.MINUTES.toNanos(Long.parseLong(minutes)) + (long) (Double.parseDouble(seconds) * 1e9);
    }

    /**
     * Times, in nanoseconds from the assignment, of one agent run, and the CPU time of the updater's
     * thread (downloading, hashing, copying; not the JVM's compiler and collector threads).
     */
    private record Phases(long downloaded, long installing, long total, long cpu) {}

    /** Contender B: the agent from the assignment to the reboot hook. */
    private Phases agent(int run) throws IOException, InterruptedException {
        Path state = work.resolve("agent-" + run);
        deleteTree(state);
        Map<OtaState, Long> reached = new EnumMap<>(OtaState.class);
        CompletableFuture<Long> rebooted = new CompletableFuture<>();
        CompletableFuture<Long> cpu = new CompletableFuture<>();
        CompletableFuture<OtaReport> failed = new CompletableFuture<>();
        long start;
        try (Updater updater = new Updater(
                new UpdaterSettings(state.resolve("ota"), keys, model, true, Duration.ofMinutes(10), 10),
                new DirectorySlotManager(state, "a", "1.0.0"),
                () -> {
                    // On the updater's own thread, new with each Updater: its CPU time is this run's.
                    cpu.complete(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                    rebooted.complete(System.nanoTime());
                },
                Clock.systemUTC(),
                report -> {
                    long now = System.nanoTime();
                    synchronized (reached) {
                        reached.putIfAbsent(report.state(), now);
                    }
                    if (report.state() == OtaState.FAILED
                            || report.state() == OtaState.REJECTED
                            || report.state() == OtaState.CANCELED) {
                        failed.complete(report);
                    }
                    return CompletableFuture.completedFuture(null);
                },
                (actionId, v) -> {})) {
            updater.boot();
            start = System.nanoTime();
            updater.assign(new OtaAssignment(
                    "bench-" + run, false, version, url, bundleSize, false, null, OtaMode.FORCED, false, null, null));
            Object first = CompletableFuture.anyOf(rebooted, failed).get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (first instanceof OtaReport report) {
                throw new IllegalStateException("the agent did not install: " + report);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the agent did not reach the reboot", e);
        }
        Path slot = DirectorySlotManager.imageOf(state, "b");
        if (Files.mismatch(slot, image) != -1) {
            throw new IllegalStateException("slot b does not hold the image after run " + run);
        }
        deleteTree(state);
        synchronized (reached) {
            return new Phases(
                    reached.get(OtaState.DOWNLOADED) - start,
                    reached.get(OtaState.INSTALLING) - start,
                    rebooted.join() - start,
                    cpu.join());
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
