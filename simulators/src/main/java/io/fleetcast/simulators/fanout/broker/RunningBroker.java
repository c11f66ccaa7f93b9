package io.fleetcast.simulators.fanout.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A started broker process. {@link #close()} stops it and every process it started. */
public final class RunningBroker implements AutoCloseable {

    private final String name;
    private final String version;
    private final Process process;
    private final boolean jvm;
    private final Path log;
    private final int port;

    RunningBroker(String name, String version, Process process, boolean jvm, BrokerSetup setup) {
        this.port = setup.port();
        this.log = setup.log();
        this.name = name;
        this.version = version;
        this.process = process;
        this.jvm = jvm;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The loopback port its MQTT listener accepts on. */
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether heap after GC can be read with jcmd/jstat. */
    public boolean isJvm() {
        return jvm;
    }

    /** Resident memory now, and for a JVM the live heap after a full collection. */
    public MemorySample memory() {
        long heap = jvm ? ProcessMemory.heapUsedAfterFullGc(pid()) : -1;
        return new MemorySample(ProcessMemory.rssBytes(pid()), heap);
    }

    /** Process CPU time used so far, user plus system, in seconds. */
    public double cpuSeconds() {
        return ProcessMemory.cpuSeconds(pid());
    }

    /** Process CPU time used so far, user and system apart; null when the broker is gone. */
    public ProcessMemory.CpuTimes cpuTimes() {
        return ProcessMemory.cpuTimes(pid());
    }

    /** The last lines of the broker's output, for failure messages. */
    public String logTail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (Exception e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // Fleetcast's embedded PostgreSQL can outlive a JVM that had to be killed.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }
}
