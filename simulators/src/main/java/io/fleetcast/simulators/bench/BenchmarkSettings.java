package io.fleetcast.simulators.bench;

import io.fleetcast.simulators.provisioning.Serials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * What a provision-connect run needs, validated.
 *
 * @param concurrency operations in flight at most, per phase
 * @param warmupDevices provisioned, connected and disconnected before the measured run, unmeasured
 * @param warmupSerials serials of the warm-up devices, distinct from the measured ones
 * @param timeout bound on each single operation (connect, provisioning exchange, publish, disconnect)
 */
public record BenchmarkSettings(
        InetSocketAddress mqttServer,
        URI apiUrl,
        String apiToken,
        int devices,
        int concurrency,
        String model,
        Serials serials,
        int warmupDevices,
        Serials warmupSerials,
        Duration timeout) {

    @Override
    public String toString() {
        // Keeps the platform token out of logs.
        return "BenchmarkSettings[mqtt=" + mqttServer + ", api=" + apiUrl + ", devices=" + devices
                + ", concurrency=" + concurrency + ", model=" + model + ", serialPrefix=" + serials.prefix()
                + ", warmupDevices=" + warmupDevices + ", timeout=" + timeout + "]";
    }
}
