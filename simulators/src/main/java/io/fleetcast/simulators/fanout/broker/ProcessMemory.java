package io.fleetcast.simulators.fanout.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a process's memory and CPU from /proc, and a JVM's heap through jcmd and jstat. */
public final class ProcessMemory {

    /** Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/stat, is 100 on every arch. */
    private static final double CLOCK_TICKS = 100.0;

    private ProcessMemory() {}

    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process is gone.
        }
        return -1;
    }

    public static double cpuSeconds(long pid) {
        CpuTimes times = cpuTimes(pid);
        return times == null ? -1 : times.user() + times.system();
    }

    /** CPU seconds a process spent in its own code and in the kernel, e.g. writing to sockets. */
    public record CpuTimes(double user, double system) {}

    /** The process's CPU times so far, or null when it is gone. */
    public static CpuTimes cpuTimes(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name, field 2, may hold spaces; fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTimes(Long.parseLong(fields[11]) / CLOCK_TICKS, Long.parseLong(fields[12]) / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs a full GC in the target JVM ({@code jcmd GC.run}), then sums the used columns of
     * {@code jstat -gc}: survivor, eden and old spaces. Works for Serial, Parallel and G1 alike.
     */
    public static long heapUsedAfterFullGc(long pid) {
        try {
            // Twice: the first collection may leave objects whose finalizers or reference queues
            // the second one clears.
            run(List.of("jcmd", Long.toString(pid), "GC.run"));
            run(List.of("jcmd", Long.toString(pid), "GC.run"));
            String out = run(List.of("jstat", "-gc", Long.toString(pid)));
            return JstatGc.usedHeapBytes(out);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
