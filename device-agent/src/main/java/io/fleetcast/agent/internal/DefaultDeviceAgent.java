package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.DeviceAgent;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.agent.internal.ota.Updater;
import io.fleetcast.agent.internal.ota.UpdaterSettings;
import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.Limits;
import io.fleetcast.protocol.ReportedState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The {@link DeviceAgent}: checks calls on the caller's thread and hands the work to the agent thread,
 * where {@link ConnectionSupervisor} and {@link StatePublisher} do it.
 */
public final class DefaultDeviceAgent implements DeviceAgent {

    private static final Logger LOG = Logger.getLogger(DefaultDeviceAgent.class.getName());

    /** Long enough to send DISCONNECT after a last in-flight publish, short enough for a shutdown hook. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final CredentialStore store;
    private final Scheduler scheduler;
    private final StatePublisher publisher;
    private final ConnectionSupervisor supervisor;
    private final Updater updater;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;

    public DefaultDeviceAgent(AgentConfig config, AgentListener listener) {
        this(
                config,
                listener,
                new FileCredentialStore(config.stateDir()),
                new PahoTransport(),
                new ExecutorScheduler("fleetcast-agent"),
                new Random());
    }

    DefaultDeviceAgent(
            AgentConfig config,
            AgentListener listener,
            CredentialStore store,
            Transport transport,
            Scheduler scheduler,
            RandomGenerator random) {
        this(config, listener, store, transport, scheduler, random, slotsOf(config));
    }

    /** An agent for the LwM2M agent's provisioning, on slots that agent booted already. */
    static DefaultDeviceAgent onBootedSlots(AgentConfig config, AgentListener listener, SlotManager slots) {
        return new DefaultDeviceAgent(
                config,
                listener,
                new FileCredentialStore(config.stateDir()),
                new PahoTransport(),
                new ExecutorScheduler("fleetcast-agent"),
                new Random(),
                slots);
    }

    private static SlotManager slotsOf(AgentConfig config) {
        return config.slotManager()
                .orElseGet(() ->
                        new DirectorySlotManager(config.stateDir(), config.activeSlot(), config.firmwareVersion()));
    }

    private DefaultDeviceAgent(
            AgentConfig config,
            AgentListener listener,
            CredentialStore store,
            Transport transport,
            Scheduler scheduler,
            RandomGenerator random,
            SlotManager slots) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = store;
        this.scheduler = scheduler;
        Objects.requireNonNull(listener, "listener");
        OtaLink ota = new OtaLink(scheduler);
        SafeListener safeListener = new SafeListener(listener);
        this.updater = new Updater(
                UpdaterSettings.of(config),
                slots,
                config.rebootHook(),
                Clock.systemUTC(),
                ota,
                (actionId, version) -> scheduler.execute(() -> safeListener.updateConsentRequested(actionId, version)));
        ota.updater(updater);
        this.publisher = new StatePublisher(bootedState(config, updater));
        Backoff backoff = new Backoff(config.reconnectInitialDelay(), config.reconnectMaxDelay(), random);
        this.supervisor =
                new ConnectionSupervisor(config, transport, scheduler, store, publisher, listener, backoff, ota);
    }

    /** The firmware version and slot the device reports follow the slot that booted, not the config. */
    private static ReportedState bootedState(AgentConfig config, Updater updater) {
        ReportedState configured = config.initialState();
        SlotManager.Boot boot;
        try {
            boot = updater.boot();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the slots' boot state", e);
        }
        String version = boot.activeVersion() != null ? boot.activeVersion() : configured.firmwareVersion();
        return new ReportedState(version, boot.activeSlot(), configured.apps(), configured.capabilities());
    }

    @Override
    public void acceptUpdate(String actionId) {
        updater.accept(Objects.requireNonNull(actionId, "actionId"));
    }

    @Override
    public void declineUpdate(String actionId) {
        updater.decline(Objects.requireNonNull(actionId, "actionId"));
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the agent is closed");
            }
            if (started) {
                return;
            }
            Optional<DeviceIdentity> stored = store.load();
            if (stored.isEmpty() && config.claimToken().isEmpty()) {
                throw new IllegalStateException("the device is not provisioned (no credential in " + config.stateDir()
                        + ") and no claim token is configured: set " + ConfigKeys.CLAIM_TOKEN + " ("
                        + ConfigKeys.envName(ConfigKeys.CLAIM_TOKEN) + ")");
            }
            started = true;
            supervisor.restore(stored);
            scheduler.execute(supervisor::start);
        }
    }

    @Override
    public void reportState(ReportedState state) {
        Objects.requireNonNull(state, "state");
        List<String> problems = state.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid state report: " + String.join("; ", problems));
        }
        int size = Json.encode(state).length;
        if (size > Limits.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    "state report of " + size + " bytes exceeds the limit of " + Limits.MAX_PAYLOAD_BYTES + " bytes");
        }
        scheduler.execute(() -> publisher.update(state));
    }

    @Override
    public Optional<String> deviceId() {
        return supervisor.deviceId();
    }

    @Override
    public boolean isConnected() {
        return supervisor.isConnected();
    }

    @Override
    public void close() {
        boolean wasStarted;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            wasStarted = started;
        }
        if (wasStarted) {
            CountDownLatch disconnected = new CountDownLatch(1);
            scheduler.execute(() -> supervisor.close(disconnected::countDown));
            // On the agent thread (a listener closing the agent) the close task cannot run while we wait.
            if (!scheduler.isAgentThread()) {
                awaitDisconnect(disconnected);
            }
        }
        updater.close();
        scheduler.shutdown();
    }

    private static void awaitDisconnect(CountDownLatch disconnected) {
        try {
            if (!disconnected.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("DISCONNECT not sent within " + CLOSE_TIMEOUT.toSeconds() + " s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
