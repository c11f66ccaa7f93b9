package io.fleetcast.simulators.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * The process's open-file limit. Every held connection is a socket, so a run that holds more
 * connections than the limit allows would fail late, thousands of connects in, with EMFILE.
 */
final class OpenFileLimit {

    /** Jars, the JIT, epoll and the HTTP client hold some files too. */
    static final int RESERVED = 256;

    private OpenFileLimit() {}

    static OptionalLong current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    /** Files a run needs: every device held connected, plus claim connections still closing. */
    static long needed(int devices, int concurrency) {
        return (long) devices + concurrency + RESERVED;
    }
}
