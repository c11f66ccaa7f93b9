package io.fleetcast.simulators.fanout.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Mosquitto with a generated config: loopback only, anonymous, no persistence.
 *
 * <p>{@code max_queued_messages} is raised from its default of 1,000 to 100,000: a QoS 1 step near
 * the knee should measure how fast Mosquitto delivers, not where its per-client queue stops and
 * drops. Online QoS 0 deliveries are not limited by it either way.
 */
public final class MosquittoLauncher implements BrokerLauncher {

    static final String BINARY = "mosquitto";

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public String unavailableReason() {
        return resolve() == null ? "mosquitto not installed (apt-get install mosquitto)" : null;
    }

    /** Debian installs it to /usr/sbin, which a non-root PATH may lack. */
    private static String resolve() {
        if (BrokerProcesses.onPath(BINARY)) {
            return BINARY;
        }
        Path sbin = Path.of("/usr/sbin", BINARY);
        return Files.isExecutable(sbin) ? sbin.toString() : null;
    }

    @Override
    public RunningBroker start(BrokerSetup setup) throws IOException, InterruptedException {
        String binary = resolve();
        if (binary == null) {
            throw new BrokerFailure(unavailableReason());
        }
        Path config = setup.workDir().resolve("mosquitto.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "listener " + setup.port() + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence false",
                        "max_queued_messages 100000",
                        "log_dest stdout",
                        "log_type error",
                        "log_type warning",
                        ""));
        // Dropping root privileges would need a mosquitto user with access to the work dir.
        Process process = BrokerProcesses.start(setup, List.of(binary, "-c", config.toString()), Map.of());
        BrokerProcesses.awaitListening(process, setup, name());
        String version = BrokerProcesses.firstLine(List.of(binary, "-h")).replace("mosquitto version ", "");
        return new RunningBroker(name(), version, process, false, setup);
    }
}
