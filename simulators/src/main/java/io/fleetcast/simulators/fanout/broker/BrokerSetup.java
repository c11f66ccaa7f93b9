package io.fleetcast.simulators.fanout.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where and how a broker runs.
 *
 * @param workDir a fresh directory for its config, data and log, deleted by the caller
 * @param port loopback port for plain MQTT
 * @param cpus CPU list the broker is pinned to with taskset (e.g. "1"); empty for no pinning
 * @param jvmOptions options every Java broker gets alike (heap, GC)
 * @param readyTimeout how long it may take to accept connections
 */
public record BrokerSetup(Path workDir, int port, String cpus, List<String> jvmOptions, Duration readyTimeout) {

    public Path log() {
        return workDir.resolve("broker.log");
    }
}
