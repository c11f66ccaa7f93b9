package io.fleetcast.simulators.fanout.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Fleetcast platform's runnable jar, started as provision-connect.sh starts it: embedded
 * PostgreSQL in a fresh data dir, OIDC off, the dev API token, HTTP and MQTT on loopback ports.
 * Benchmark clients connect without credentials, which needs the gateway's anonymous mode
 * ({@code fleetcast.mqtt.anonymous}); without it every CONNECT is refused and the run records
 * Fleetcast as failed.
 */
public final class FleetcastLauncher implements BrokerLauncher {

    private final Path platformJar;
    private final String version;

    public FleetcastLauncher(Path platformJar, String version) {
        this.platformJar = platformJar;
        this.version = version;
    }

    @Override
    public String name() {
        return "fleetcast";
    }

    @Override
    public String unavailableReason() {
        if (platformJar == null || !Files.isRegularFile(platformJar)) {
            return "platform jar missing (" + platformJar + "); build the platform first";
        }
        return null;
    }

    @Override
    public RunningBroker start(BrokerSetup setup) throws IOException, InterruptedException {
        if (unavailableReason() != null) {
            throw new BrokerFailure(unavailableReason());
        }
        Path data = Files.createDirectories(setup.workDir().resolve("fleetcast-data"));
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        Map<String, String> environment = Map.of(
                "QUARKUS_OIDC_TENANT_ENABLED",
                "false",
                "FLEETCAST_API_DEV_TOKEN",
                HexFormat.of().formatHex(token),
                "FLEETCAST_DATA_DIR",
                data.toString(),
                "QUARKUS_HTTP_HOST",
                "127.0.0.1",
                "QUARKUS_HTTP_PORT",
                Integer.toString(freeHttpPort()),
                "FLEETCAST_MQTT_HOST",
                "127.0.0.1",
                "FLEETCAST_MQTT_PORT",
                Integer.toString(setup.port()),
                "FLEETCAST_MQTT_ANONYMOUS",
                "true",
                // The same per-client queue as Mosquitto gets (see MosquittoLauncher): a QoS 1 step
                // near the knee measures delivery, not where a queue starts to drop.
                "FLEETCAST_MQTT_MAX_QUEUED_MESSAGES",
                "100000");
        List<String> command = new ArrayList<>();
        command.add(BrokerProcesses.java());
        command.addAll(setup.jvmOptions());
        command.addAll(List.of("-jar", platformJar.toAbsolutePath().toString()));
        Process process = BrokerProcesses.start(setup, command, environment);
        BrokerProcesses.awaitListening(process, setup, name());
        return new RunningBroker(name(), version, process, true, setup);
    }

    private static int freeHttpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
