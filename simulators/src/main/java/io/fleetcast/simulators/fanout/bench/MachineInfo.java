package io.fleetcast.simulators.fanout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** What the results page says about the machine: CPU model, cores, kernel, Java. */
final class MachineInfo {

    private MachineInfo() {}

    static void addTo(Properties meta) {
        meta.setProperty("cpu", cpuModel());
        meta.setProperty("cores", Integer.toString(onlineCpus()));
        meta.setProperty("kernel", read(Path.of("/proc/sys/kernel/osrelease")));
        meta.setProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    /**
     * The 1, 5 and 15 minute load averages: anything else running on the two cores shifts the
     * figures, and this shows it.
     */
    static String loadAverage() {
        String[] fields = read(Path.of("/proc/loadavg")).split(" ");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Online CPUs of the machine, not the ones this process is pinned to. */
    static int onlineCpus() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("processor"))
                    .count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
