package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.DeviceAgent;
import io.fleetcast.agent.internal.lwm2m.Lwm2mClients;
import io.fleetcast.agent.internal.lwm2m.Lwm2mFirmware;
import io.fleetcast.protocol.ReportedState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.request.DeregisterRequest;
import org.eclipse.leshan.core.request.RegisterRequest;

/**
 * The agent in LwM2M mode ({@code transport=lwm2m}): a Leshan client with objects /3 and /5 that
 * registers over DTLS with the device certificate. A device that is not provisioned yet first runs the
 * MQTT agent in certificate mode just long enough to provision (provisioning by claim exists only over
 * MQTT), then switches over. Leshan re-registers on its own after a lost registration.
 *
 * <p>Firmware arrives through /5 and is verified and installed into the inactive A/B slot by the same
 * code as over MQTT ({@link Lwm2mFirmware}); the agent then reboots through the {@link
 * io.fleetcast.agent.ota.RebootHook}. The first successful registration after that is the health check
 * that commits the new slot.
 *
 * <p>Listener calls come from Leshan's threads (and, while provisioning, the MQTT agent's thread).
 */
public final class Lwm2mDeviceAgent implements DeviceAgent {

    private static final Logger LOG = Logger.getLogger(Lwm2mDeviceAgent.class.getName());
    private static final Duration CERTIFICATE_POLL = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final AgentListener listener;
    private final CredentialStore store;
    private final Lwm2mFirmware firmware;
    private final Object lifecycle = new Object();
    private DefaultDeviceAgent provisioning;
    private LeshanClient client;
    private volatile String deviceId;
    private volatile boolean registered;
    private boolean started;
    private boolean closed;

    /**
     * Boots the slots (the agent is one boot of the device): slot directories under the state directory
     * unless the config names a slot manager.
     */
    public Lwm2mDeviceAgent(AgentConfig config, AgentListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.store = new FileCredentialStore(config.stateDir());
        this.firmware = Lwm2mFirmware.boot(config);
    }

    /**
     * LwM2M object 5 has no consent step: the server executes Update when the rollout allows the
     * install, so there is nothing for the viewer to accept here.
     */
    @Override
    public void acceptUpdate(String actionId) {}

    /** See {@link #acceptUpdate}. */
    @Override
    public void declineUpdate(String actionId) {}

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the agent is closed");
            }
            if (started) {
                return;
            }
            started = true;
            Optional<DeviceIdentity> identity = store.load();
            Optional<DeviceCertificate> certificate = store.loadCertificate();
            if (identity.isPresent() && certificate.isPresent()) {
                register(identity.get().deviceId(), certificate.get());
                return;
            }
            LOG.info("not provisioned with a certificate yet: provisioning over MQTT first");
            provisioning = DefaultDeviceAgent.onBootedSlots(config, new ProvisioningListener(), firmware.bootedSlots());
            provisioning.start();
        }
    }

    /** Passes events on, and switches to LwM2M once the MQTT agent holds a certificate. */
    private final class ProvisioningListener implements AgentListener {
        @Override
        public void provisioned(String id) {
            listener.provisioned(id);
        }

        @Override
        public void provisioningRejected(io.fleetcast.protocol.ProvisionError error, String message) {
            listener.provisioningRejected(error, message);
        }

        @Override
        public void connected(String id) {
            // Not on the MQTT agent's thread: closing it waits for that thread.
            Thread switchOver = new Thread(() -> awaitCertificateAndSwitch(id), "fleetcast-lwm2m-switch");
            switchOver.setDaemon(true);
            switchOver.start();
        }
    }

    /**
     * A device provisioned in token mode gets its first certificate over this MQTT connection, some time
     * after it connected; until the store holds one, keep looking.
     */
    private void awaitCertificateAndSwitch(String id) {
        try {
            Optional<DeviceCertificate> certificate = store.loadCertificate();
            while (certificate.isEmpty()) {
                synchronized (lifecycle) {
                    if (closed || provisioning == null) {
                        return;
                    }
                }
                Thread.sleep(CERTIFICATE_POLL.toMillis());
                certificate = store.loadCertificate();
            }
            switchToLwm2m(id, certificate.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void switchToLwm2m(String id, DeviceCertificate certificate) {
        DefaultDeviceAgent mqtt;
        synchronized (lifecycle) {
            if (closed || provisioning == null) {
                return;
            }
            mqtt = provisioning;
            provisioning = null;
        }
        mqtt.close();
        synchronized (lifecycle) {
            if (!closed) {
                register(id, certificate);
            }
        }
    }

    /** Starts the Leshan client; called holding {@link #lifecycle}. */
    private void register(String id, DeviceCertificate certificate) {
        deviceId = id;
        client = Lwm2mClients.secure(
                id,
                config.lwm2mServerUri(),
                certificate.certificate(),
                certificate.key(),
                serverCertificate(),
                config.lwm2mLifetime().toSeconds(),
                firmware.device(),
                firmware.firmware());
        client.addObserver(new LwM2mClientObserverAdapter() {
            @Override
            public void onRegistrationSuccess(LwM2mServer server, RegisterRequest request, String registrationId) {
                registered = true;
                firmware.registered();
                listener.connected(id);
            }

            @Override
            public void onRegistrationFailure(
                    LwM2mServer server, RegisterRequest request, ResponseCode code, String message, Exception cause) {
                registered = false;
                listener.connectionRefused(code == null ? 0 : code.getCode(), message);
            }

            @Override
            public void onDeregistrationSuccess(LwM2mServer server, DeregisterRequest request) {
                registered = false;
                listener.disconnected("deregistered");
            }
        });
        client.start();
        LOG.info(() -> "registering over LwM2M with " + config.lwm2mServerUri() + " as " + id);
    }

    private X509Certificate serverCertificate() {
        try {
            String pem = Files.readString(config.lwm2mServerCertificate().orElseThrow(), StandardCharsets.US_ASCII);
            return DeviceCertificate.parseChain(pem).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + config.lwm2mServerCertificate().orElseThrow(), e);
        }
    }

    /** Over LwM2M the platform reads the firmware version from /3; the other fields have no object yet. */
    @Override
    public void reportState(ReportedState state) {
        Objects.requireNonNull(state, "state");
        firmware.device().firmwareVersion(state.firmwareVersion());
    }

    @Override
    public Optional<String> deviceId() {
        String id = deviceId;
        return id != null ? Optional.of(id) : store.load().map(DeviceIdentity::deviceId);
    }

    @Override
    public boolean isConnected() {
        return registered;
    }

    /** Deregisters, so the platform records a clean disconnect. */
    @Override
    public void close() {
        DefaultDeviceAgent mqtt;
        LeshanClient leshan;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            mqtt = provisioning;
            leshan = client;
        }
        if (mqtt != null) {
            mqtt.close();
        }
        if (leshan != null) {
            leshan.destroy(true);
        }
        firmware.close();
    }
}
