package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.protocol.CertificateRequest;
import io.fleetcast.protocol.CertificateResponse;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.Topics;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's connection lifecycle: provision when there is no credential, connect as the device, and
 * reconnect with backoff whenever a connection fails or goes down.
 *
 * <p>Confined to the agent thread, so it needs no locks; only {@link #deviceId()} and {@link
 * #isConnected()} are read from other threads.
 */
final class ConnectionSupervisor {

    private static final Logger LOG = Logger.getLogger(ConnectionSupervisor.class.getName());

    private final AgentConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final CredentialStore store;
    private final StatePublisher publisher;
    private final AgentListener listener;
    private final Backoff backoff;
    private final OtaLink ota;

    /**
     * A connection that stayed up as long as the longest reconnect delay is not part of a reconnect loop,
     * so the next outage starts over from the initial delay. A shorter one (accepted, then dropped at
     * once) keeps growing the delay.
     */
    private final long stableNanos;

    private volatile DeviceIdentity identity;
    private volatile boolean connected;
    private ProvisioningAttempt provisioning;
    private Connection connection;
    private DeviceEvents events;
    private long connectedAt;
    private Scheduler.Cancellable retry;
    private boolean closed;

    /** Certificate mode: the newest key and chain; a connection uses the one that was newest when it began. */
    private DeviceCertificate certificate;

    private Scheduler.Cancellable rotationTimer;
    private PendingRotation rotating;

    /** A certificate request in flight on the current connection. */
    private record PendingRotation(String requestId, KeyPair key) {}

    ConnectionSupervisor(
            AgentConfig config,
            Transport transport,
            Scheduler scheduler,
            CredentialStore store,
            StatePublisher publisher,
            AgentListener listener,
            Backoff backoff,
            OtaLink ota) {
        this.ota = ota;
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.store = store;
        this.publisher = publisher;
        this.listener = new SafeListener(listener);
        this.backoff = backoff;
        this.stableNanos = config.reconnectMaxDelay().toNanos();
    }

    /** Any thread, before {@link #start()}: the identity stored by an earlier run, if any. */
    void restore(Optional<DeviceIdentity> stored) {
        identity = stored.orElse(null);
    }

    void start() {
        if (certificateMode()) {
            try {
                certificate = store.loadCertificate().orElse(null);
            } catch (RuntimeException e) {
                // The credential still works; the next rotation replaces the damaged file.
                LOG.log(Level.SEVERE, "cannot read the device certificate; connecting with the credential", e);
            }
        }
        if (identity == null) {
            provision();
        } else {
            connectDevice();
        }
    }

    Optional<String> deviceId() {
        DeviceIdentity current = identity;
        return current == null ? Optional.empty() : Optional.of(current.deviceId());
    }

    boolean isConnected() {
        return connected;
    }

    /**
     * Stops retrying, and ends the device connection with a clean DISCONNECT so that the platform records
     * a client disconnect. {@code done} runs once the DISCONNECT is sent, on any thread.
     */
    void close(Runnable done) {
        if (closed) {
            done.run();
            return;
        }
        closed = true;
        if (retry != null) {
            retry.cancel();
        }
        if (provisioning != null) {
            provisioning.abort();
            provisioning = null;
        }
        Connection current = connection;
        boolean wasUp = connected;
        forgetConnection();
        if (current == null) {
            done.run();
        } else if (wasUp) {
            listener.disconnected("closed by the application");
            current.disconnect(() -> {
                // Queued before done runs, so that it still runs if the agent thread is being shut down.
                scheduler.execute(current::close);
                done.run();
            });
        } else {
            current.close();
            done.run();
        }
    }

    private void provision() {
        String requestId;
        try {
            requestId = store.provisioningRequestId();
        } catch (IOException | RuntimeException e) {
            retryLater(
                    Level.SEVERE,
                    "cannot store the provisioning request in " + config.stateDir() + ": " + e,
                    true,
                    this::provision);
            return;
        }
        provisioning = new ProvisioningAttempt(config, requestId, transport, scheduler, new ProvisioningOutcome());
        provisioning.start();
    }

    private void connectDevice() {
        DeviceEvents deviceEvents = new DeviceEvents();
        events = deviceEvents;
        connection = transport.connect(
                ConnectSettings.device(config, identity, certificateMode() ? certificate : null),
                new AgentThreadEvents(scheduler, deviceEvents));
    }

    private boolean certificateMode() {
        return config.tlsMode() == AgentConfig.TlsMode.CERTIFICATE;
    }

    /**
     * Asks for the next certificate once less than the configured part of the current one's lifetime is
     * left (at once when the device has none yet, e.g. after switching from token mode).
     */
    private void scheduleRotation() {
        Duration delay = certificate == null
                ? Duration.ZERO
                : Rotation.delay(
                        certificate.notBefore(), certificate.notAfter(), config.rotateRemaining(), Instant.now());
        rotationTimer = scheduler.schedule(this::rotate, delay);
    }

    private void rotate() {
        rotationTimer = null;
        if (!connected || rotating != null || closed) {
            return;
        }
        Connection current = connection;
        String deviceId = identity.deviceId();
        PendingRotation pending = new PendingRotation(UUID.randomUUID().toString(), Csr.newKey());
        rotating = pending;
        LOG.info(() -> "requesting a new certificate"
                + (certificate == null ? "" : "; the current one expires " + certificate.notAfter()));
        current.subscribe(
                Topics.certificateResponse(deviceId),
                1,
                subscribed -> scheduler.execute(() -> {
                    if (rotating != pending || connection != current) {
                        return;
                    }
                    if (!subscribed.isSuccess()) {
                        rotationFailed("subscription refused: " + subscribed.describe());
                        return;
                    }
                    current.publish(
                            Topics.certificateRequest(deviceId),
                            Json.encode(new CertificateRequest(pending.requestId(), Csr.pem(pending.key(), deviceId))),
                            1,
                            published -> scheduler.execute(() -> {
                                if (rotating == pending && connection == current && !published.isSuccess()) {
                                    rotationFailed("request refused: " + published.describe());
                                }
                            }));
                }));
    }

    private void certificateAnswered(byte[] payload) {
        PendingRotation pending = rotating;
        CertificateResponse response;
        try {
            response = Json.decode(payload, CertificateResponse.class);
        } catch (Json.MalformedPayloadException e) {
            LOG.warning(() -> "ignoring malformed certificate response: " + e.getMessage());
            return;
        }
        if (pending == null || !pending.requestId().equals(response.requestId())) {
            return;
        }
        if (!response.isSuccess()) {
            rotationFailed(response.error() + (response.message() == null ? "" : " (" + response.message() + ")"));
            return;
        }
        DeviceCertificate next;
        try {
            next = DeviceCertificate.of(pending.key().getPrivate(), response.certificate());
            store.saveCertificate(next);
        } catch (IOException | RuntimeException e) {
            rotationFailed("cannot keep the new certificate: " + e);
            return;
        }
        rotating = null;
        certificate = next;
        // The live connection keeps its certificate; both stay valid until the old one runs out.
        LOG.info(() -> "new certificate " + next.serial() + " valid until " + next.notAfter()
                + "; used from the next connect");
    }

    private void rotationFailed(String why) {
        rotating = null;
        Duration delay = config.reconnectMaxDelay();
        LOG.warning(() -> "certificate rotation failed: " + why + "; next attempt in " + delay.toMillis() + " ms");
        rotationTimer = scheduler.schedule(this::rotate, delay);
    }

    private void forgetConnection() {
        if (rotationTimer != null) {
            rotationTimer.cancel();
            rotationTimer = null;
        }
        rotating = null;
        connected = false;
        publisher.detach();
        ota.detach();
        connection = null;
        events = null;
    }

    private void retryLater(Level level, String why, boolean atMaximum, Runnable attempt) {
        Duration delay = atMaximum ? backoff.maximum() : backoff.next();
        LOG.log(level, () -> why + "; next attempt in " + delay.toMillis() + " ms");
        retry = scheduler.schedule(
                () -> {
                    retry = null;
                    if (!closed) {
                        attempt.run();
                    }
                },
                delay);
    }

    /** Events of one device connection, already on the agent thread; ignored once it is no longer current. */
    private final class DeviceEvents implements Connection.Events {

        private boolean current() {
            return events == this && !closed;
        }

        @Override
        public void connected() {
            if (!current()) {
                return;
            }
            connected = true;
            connectedAt = scheduler.nanoTime();
            String deviceId = identity.deviceId();
            LOG.fine(() -> "connected as " + deviceId);
            publisher.attach(connection, deviceId);
            ota.attach(connection, deviceId);
            listener.connected(deviceId);
            if (certificateMode()) {
                scheduleRotation();
            }
        }

        @Override
        public void refused(int reasonCode, String reason) {
            if (!current()) {
                return;
            }
            connection.close();
            forgetConnection();
            listener.connectionRefused(reasonCode, reason == null ? ReasonCodes.label(reasonCode) : reason);
            // Bad credential, disabled device, invalid client id: only an operator fixes these.
            retryLater(
                    Level.WARNING,
                    "the platform refused the device connection: " + ReasonCodes.describe(reasonCode, reason),
                    true,
                    ConnectionSupervisor.this::connectDevice);
        }

        @Override
        public void connectFailed(String problem) {
            if (!current()) {
                return;
            }
            connection.close();
            forgetConnection();
            retryLater(
                    Level.WARNING,
                    "cannot connect to " + config.serverUri() + ": " + problem,
                    false,
                    ConnectionSupervisor.this::connectDevice);
        }

        @Override
        public void disconnectedByServer(int reasonCode, String reasonString) {
            // Taken over: another process holds this identity; reconnecting soon would only fight it.
            boolean takenOver = reasonCode == ReasonCodes.SESSION_TAKEN_OVER;
            down("server sent DISCONNECT " + ReasonCodes.describe(reasonCode, reasonString), takenOver);
        }

        @Override
        public void lost(String problem) {
            down("connection lost: " + problem, false);
        }

        @Override
        public void messageArrived(String topic, byte[] payload) {
            if (current() && topic.equals(Topics.certificateResponse(identity.deviceId()))) {
                certificateAnswered(payload);
                return;
            }
            if (current() && ota.messageArrived(topic, payload)) {
                return;
            }
            LOG.fine(() -> "ignoring message on " + topic);
        }

        private void down(String reason, boolean atMaximum) {
            if (!current()) {
                return;
            }
            boolean wasUp = connected;
            connection.close();
            forgetConnection();
            if (wasUp && scheduler.nanoTime() - connectedAt >= stableNanos) {
                backoff.reset();
            }
            if (wasUp) {
                listener.disconnected(reason);
            }
            retryLater(Level.INFO, reason, atMaximum, ConnectionSupervisor.this::connectDevice);
        }
    }

    /** How a provisioning attempt ended, on the agent thread. */
    private final class ProvisioningOutcome implements ProvisioningAttempt.Outcome {

        @Override
        public void provisioned(DeviceIdentity provisioned, DeviceCertificate issued) {
            provisioning = null;
            if (issued != null) {
                certificate = issued;
            }
            try {
                if (issued != null) {
                    // Before the credential: a device that finds a credential never provisions again.
                    store.saveCertificate(issued);
                }
                store.save(provisioned);
            } catch (IOException | RuntimeException e) {
                // Going on is still best: the device works until it restarts. Provisioning again would be
                // refused (REPLAYED), so the operator has to reset the device on the platform then.
                LOG.log(
                        Level.SEVERE,
                        "cannot store the device credential in " + config.stateDir()
                                + "; the device will lose its identity when it restarts",
                        e);
            }
            identity = provisioned;
            backoff.reset();
            LOG.fine(() -> "provisioned as " + provisioned.deviceId());
            listener.provisioned(provisioned.deviceId());
            connectDevice();
        }

        @Override
        public void refused(int reasonCode, String reason) {
            provisioning = null;
            listener.connectionRefused(reasonCode, reason == null ? ReasonCodes.label(reasonCode) : reason);
            retryLater(
                    Level.WARNING,
                    "the platform refused the claim connection: " + ReasonCodes.describe(reasonCode, reason)
                            + claimHint(reasonCode),
                    true,
                    ConnectionSupervisor.this::provision);
        }

        @Override
        public void rejected(ProvisionError error, String message) {
            provisioning = null;
            listener.provisioningRejected(error, message);
            String why = "provisioning rejected with " + error + (message == null ? "" : " (" + message + ")");
            if (error == ProvisionError.UNAVAILABLE) {
                retryLater(Level.WARNING, why, false, ConnectionSupervisor.this::provision);
            } else {
                // Permanent for this claim, but an operator may still fix the claim: keep trying, slowly.
                retryLater(
                        Level.SEVERE,
                        why + ": this claim cannot provision the device until an operator fixes it",
                        true,
                        ConnectionSupervisor.this::provision);
            }
        }

        @Override
        public void failed(String problem) {
            provisioning = null;
            retryLater(Level.WARNING, "provisioning failed: " + problem, false, ConnectionSupervisor.this::provision);
        }

        private String claimHint(int reasonCode) {
            return switch (reasonCode) {
                case ReasonCodes.BAD_USER_NAME_OR_PASSWORD -> ": the claim is unknown or its secret is wrong";
                case ReasonCodes.NOT_AUTHORIZED -> ": the claim is expired, exhausted or revoked";
                default -> "";
            };
        }
    }
}
