package io.fleetcast.simulators.fanout.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** CPU time of this process: shows when the generator, not the broker, is the bottleneck. */
final class CpuClock {

    private CpuClock() {}

    static double processSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }
}
