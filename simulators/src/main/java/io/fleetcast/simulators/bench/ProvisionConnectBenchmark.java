package io.fleetcast.simulators.bench;

import io.fleetcast.simulators.api.PlatformApi;
import io.fleetcast.simulators.api.PlatformApiException;
import io.fleetcast.simulators.connect.DeviceConnection;
import io.fleetcast.simulators.connect.DeviceConnector;
import io.fleetcast.simulators.load.BoundedRunner;
import io.fleetcast.simulators.mqtt.MqttClients;
import io.fleetcast.simulators.mqtt.MqttFailures;
import io.fleetcast.simulators.provisioning.ClaimProvisioner;
import io.fleetcast.simulators.provisioning.ProvisionedDevice;
import io.fleetcast.simulators.provisioning.Serials;
import io.fleetcast.simulators.stats.PhaseStats;
import io.fleetcast.simulators.stats.PhaseSummary;
import io.fleetcast.simulators.stats.ProgressReporter;
import io.fleetcast.simulators.stats.SummaryTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Provisions devices by claim, connects them all with their credentials, then disconnects them:
 * four phases, each measured on its own. Phases run one after another so that each rate is the
 * platform doing only that.
 */
public final class ProvisionConnectBenchmark {

    /** The contract's claim allows 20,000 uses; larger runs need one use per device. */
    private static final int MIN_CLAIM_USES = 20_000;

    private final BenchmarkSettings settings;
    private final PrintWriter log;
    private final MqttClients clients;
    private final BoundedRunner runner;

    /** @param log receives progress lines; standard error, so standard output keeps only results */
    public ProvisionConnectBenchmark(BenchmarkSettings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
        this.clients = new MqttClients(settings.mqttServer(), settings.timeout());
        this.runner = new BoundedRunner(settings.concurrency());
    }

    /**
     * Runs all phases, first unmeasured with the warm-up devices, then measured.
     *
     * @return one summary per measured phase, in order: provision, connect, state, disconnect
     * @throws PlatformApiException when the platform is not ready or refuses the model or claim
     */
    public List<PhaseSummary> run() throws InterruptedException {
        String claimToken = createClaim();
        if (settings.warmupDevices() > 0) {
            // A fresh JVM runs the client code interpreted for its first seconds, which would cap the
            // early rate at what the generator manages, not the platform; JIT both sides first.
            log("warm-up with %d devices, not measured", settings.warmupDevices());
            List<PhaseSummary> warmup =
                    runPhases("warmup-", claimToken, settings.warmupSerials(), settings.warmupDevices());
            long failed = warmup.stream().mapToLong(PhaseSummary::failed).sum();
            if (failed > 0) {
                log("warm-up: %d operations failed%n%s", failed, SummaryTable.failures(warmup));
            }
        }
        return runPhases("", claimToken, settings.serials(), settings.devices());
    }

    private List<PhaseSummary> runPhases(String label, String claimToken, Serials serials, int count)
            throws InterruptedException {
        List<PhaseSummary> summaries = new ArrayList<>();
        List<ProvisionedDevice> devices = provision(label, claimToken, serials, count, summaries);
        List<DeviceConnection> connections = connect(label, devices, summaries);
        disconnect(label, connections, summaries);
        return List.copyOf(summaries);
    }

    private String createClaim() throws InterruptedException {
        PlatformApi api = new PlatformApi(settings.apiUrl(), settings.apiToken());
        if (!api.isReady()) {
            throw new PlatformApiException(
                    "platform not ready: " + settings.apiUrl() + "/q/health/ready did not answer 200");
        }
        api.ensureModel(settings.model());
        Instant expiresAt = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        int uses = settings.devices() + settings.warmupDevices();
        return api.createClaim(settings.model(), Math.max(MIN_CLAIM_USES, uses), expiresAt);
    }

    private List<ProvisionedDevice> provision(
            String label, String claimToken, Serials serials, int count, List<PhaseSummary> summaries)
            throws InterruptedException {
        PhaseStats stats = new PhaseStats(
                label + "provision",
                "first CONNECT to last claim connection closed",
                "CONNECT to provisioning response",
                count);
        ClaimProvisioner provisioner = new ClaimProvisioner(clients, claimToken, settings.timeout());
        AtomicReferenceArray<ProvisionedDevice> devices = new AtomicReferenceArray<>(count);
        log(
                "provisioning %d devices (serials %s), at most %d in flight",
                count, serials.serial(0) + "...", settings.concurrency());
        try (ProgressReporter ignored = ProgressReporter.start(log, List.of(stats))) {
            stats.start(System.nanoTime());
            runner.run(count, i -> provisioner.provision(serials.serial(i)).whenComplete((result, failure) -> {
                if (failure == null) {
                    devices.set(i, result.device());
                    stats.succeeded(result.latencyNanos());
                } else {
                    stats.failed(MqttFailures.describe(failure));
                }
            }));
        }
        summaries.add(stats.summarize());
        List<ProvisionedDevice> provisioned = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (devices.get(i) != null) {
                provisioned.add(devices.get(i));
            }
        }
        return provisioned;
    }

    /** Connects every provisioned device and keeps the connections open. */
    private List<DeviceConnection> connect(String label, List<ProvisionedDevice> devices, List<PhaseSummary> summaries)
            throws InterruptedException {
        int count = devices.size();
        PhaseStats connects =
                new PhaseStats(label + "connect", "first CONNECT to last CONNACK", "CONNECT to CONNACK", count);
        PhaseStats states =
                new PhaseStats(label + "state", "first CONNECT to last state PUBACK", "state PUBLISH to PUBACK", count);
        DeviceConnector connector = new DeviceConnector(clients, settings.timeout());
        // Written by this thread only, in the launch loop.
        DeviceConnection[] connections = new DeviceConnection[count];
        log("connecting %d devices, at most %d in flight", count, settings.concurrency());
        try (ProgressReporter ignored = ProgressReporter.start(log, List.of(connects, states))) {
            long start = System.nanoTime();
            connects.start(start);
            states.start(start);
            runner.run(count, i -> {
                DeviceConnection connection = connector.connect(devices.get(i));
                connections[i] = connection;
                CompletableFuture<?> connectRecorded = connection.connected().whenComplete((nanos, failure) -> {
                    if (failure == null) {
                        connects.succeeded(nanos);
                    } else {
                        connects.failed(MqttFailures.describe(failure));
                    }
                });
                CompletableFuture<?> stateRecorded = connection.stateReported().whenComplete((nanos, failure) -> {
                    if (failure == null) {
                        states.succeeded(nanos);
                    } else if (connection.isConnected()) {
                        // A failed connect is counted once, under connect, not again here.
                        states.failed(MqttFailures.describe(failure));
                    }
                });
                // The operation ends once both outcomes are recorded, whichever callback runs last.
                return CompletableFuture.allOf(connectRecorded, stateRecorded);
            });
        }
        summaries.add(connects.summarize());
        summaries.add(states.summarize());
        List<DeviceConnection> open = new ArrayList<>(count);
        for (DeviceConnection connection : connections) {
            if (connection.isConnected()) {
                open.add(connection);
            }
        }
        return open;
    }

    private void disconnect(String label, List<DeviceConnection> connections, List<PhaseSummary> summaries)
            throws InterruptedException {
        int count = connections.size();
        PhaseStats stats = new PhaseStats(
                label + "disconnect", "first DISCONNECT to last connection closed", "DISCONNECT to closed", count);
        log("disconnecting %d devices, at most %d in flight", count, settings.concurrency());
        try (ProgressReporter ignored = ProgressReporter.start(log, List.of(stats))) {
            stats.start(System.nanoTime());
            runner.run(count, i -> connections.get(i).disconnect().whenComplete((nanos, failure) -> {
                if (failure == null) {
                    stats.succeeded(nanos);
                } else {
                    stats.failed(MqttFailures.describe(failure));
                }
            }));
        }
        summaries.add(stats.summarize());
    }

    private void log(String format, Object... args) {
        log.println(String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
