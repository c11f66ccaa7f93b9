package io.fleetcast.simulators.fanout.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's nats-server in MQTT mode. MQTT needs a server name and JetStream (it keeps sessions and
 * QoS 1 state in streams); JetStream stores in the work dir, and the NATS client port is set to
 * -1 (random) so that it cannot clash with anything.
 */
public final class NatsLauncher implements BrokerLauncher {

    static final String BINARY = "nats-server";

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public String unavailableReason() {
        return BrokerProcesses.onPath(BINARY) ? null : "nats-server not installed (apt-get install nats-server)";
    }

    @Override
    public RunningBroker start(BrokerSetup setup) throws IOException, InterruptedException {
        if (unavailableReason() != null) {
            throw new BrokerFailure(unavailableReason());
        }
        Path store = Files.createDirectories(setup.workDir().resolve("jetstream"));
        Path config = setup.workDir().resolve("nats.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "server_name: fanout-bench",
                        "listen: 127.0.0.1:-1",
                        "jetstream {",
                        "  store_dir: \"" + store + "\"",
                        "}",
                        "mqtt {",
                        "  listen: 127.0.0.1:" + setup.port(),
                        "}",
                        ""));
        Process process = BrokerProcesses.start(setup, List.of(BINARY, "-c", config.toString()), Map.of());
        BrokerProcesses.awaitListening(process, setup, name());
        String version = BrokerProcesses.firstLine(List.of(BINARY, "--version")).replace("nats-server: ", "");
        return new RunningBroker(name(), version, process, false, setup);
    }
}
