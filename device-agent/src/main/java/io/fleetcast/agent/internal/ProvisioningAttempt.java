package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import java.security.KeyPair;
import java.util.logging.Logger;

/**
 * One try at provisioning: CONNECT with the claim token, subscribe to {@code $prov/res}, publish a
 * {@link ProvisionRequest} to {@code $prov/req}, and wait for the response carrying the same request id.
 * Ends with exactly one call of {@link Outcome}, after which the claim connection is released.
 *
 * <p>Confined to the agent thread.
 */
final class ProvisioningAttempt {

    /** How an attempt ended. Called on the agent thread. */
    interface Outcome {

        /** @param certificate the key and chain, in certificate mode; else null */
        void provisioned(DeviceIdentity identity, DeviceCertificate certificate);

        /** The server refused the claim connection's CONNECT. */
        void refused(int reasonCode, String reason);

        /** The platform answered with an error. */
        void rejected(ProvisionError error, String message);

        /** No answer: network, timeout, or a refused subscribe or publish. */
        void failed(String problem);
    }

    private static final Logger LOG = Logger.getLogger(ProvisioningAttempt.class.getName());
    private static final int QOS = 1;

    private final AgentConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Outcome outcome;
    private final String requestId;
    /** Certificate mode: a fresh key per attempt; only its CSR leaves the device. */
    private final KeyPair key;

    private Connection connection;
    private boolean connected;
    private boolean finished;
    private Scheduler.Cancellable timeout;

    /** @param requestId the same for every attempt of this device (see {@link CredentialStore}) */
    ProvisioningAttempt(
            AgentConfig config, String requestId, Transport transport, Scheduler scheduler, Outcome outcome) {
        this.config = config;
        this.requestId = requestId;
        this.transport = transport;
        this.scheduler = scheduler;
        this.outcome = outcome;
        this.key = config.tlsMode() == AgentConfig.TlsMode.CERTIFICATE ? Csr.newKey() : null;
    }

    void start() {
        LOG.fine(() -> "provisioning serial " + config.serial() + " with request " + requestId);
        connection = transport.connect(ConnectSettings.claim(config), new AgentThreadEvents(scheduler, new Events()));
    }

    /** Gives up without an outcome, because the agent is closing. */
    void abort() {
        if (!finished) {
            finished = true;
            release();
        }
    }

    private void subscribed(Ack ack) {
        if (finished) {
            return;
        }
        if (!ack.isSuccess()) {
            fail("subscription to " + Topics.PROVISION_RESPONSE + " refused: " + ack.describe());
            return;
        }
        ProvisionRequest request = new ProvisionRequest(
                requestId,
                config.serial(),
                config.firmwareVersion(),
                key == null ? null : Csr.pem(key, config.serial()));
        connection.publish(
                Topics.PROVISION_REQUEST,
                Json.encode(request),
                QOS,
                requestAck -> scheduler.execute(() -> requestAcked(requestAck)));
    }

    private void requestAcked(Ack ack) {
        if (!finished && !ack.isSuccess()) {
            fail("provisioning request refused: " + ack.describe());
        }
    }

    private void responded(byte[] payload) {
        ProvisionResponse response;
        try {
            response = Json.decode(payload, ProvisionResponse.class);
        } catch (Json.MalformedPayloadException e) {
            LOG.warning(() -> "ignoring malformed provisioning response: " + e.getMessage());
            return;
        }
        if (!requestId.equals(response.requestId())) {
            LOG.fine(() -> "ignoring provisioning response to request " + response.requestId());
            return;
        }
        if (response.isSuccess()) {
            if (!isTopicLevel(response.deviceId())) {
                fail("the platform assigned an unusable device id '" + response.deviceId() + "'");
                return;
            }
            DeviceCertificate certificate = null;
            if (key != null) {
                if (response.certificate() == null) {
                    fail("the platform sent no certificate for the certificate request");
                    return;
                }
                try {
                    certificate = DeviceCertificate.of(key.getPrivate(), response.certificate());
                } catch (IllegalArgumentException e) {
                    fail("the platform sent an unusable certificate: " + e.getMessage());
                    return;
                }
            }
            DeviceCertificate issued = certificate;
            finish(() -> outcome.provisioned(new DeviceIdentity(response.deviceId(), response.credential()), issued));
        } else if (response.error() != null) {
            finish(() -> outcome.rejected(response.error(), response.message()));
        } else {
            fail("the provisioning response carries neither a credential nor an error");
        }
    }

    /** The device id becomes a topic level ({@code d/<id>/s}) and the MQTT client id. */
    private static boolean isTopicLevel(String deviceId) {
        return !deviceId.isEmpty() && deviceId.chars().noneMatch(c -> c == '/' || c == '+' || c == '#');
    }

    private void fail(String problem) {
        finish(() -> outcome.failed(problem));
    }

    private void finish(Runnable report) {
        if (finished) {
            return;
        }
        finished = true;
        release();
        report.run();
    }

    private void release() {
        if (timeout != null) {
            timeout.cancel();
        }
        Connection claim = connection;
        if (connected) {
            // A clean DISCONNECT lets the platform drop the claim session at once.
            claim.disconnect(() -> scheduler.execute(claim::close));
        } else {
            claim.close();
        }
    }

    /** Events of the claim connection, already on the agent thread. */
    private final class Events implements Connection.Events {

        @Override
        public void connected() {
            if (finished) {
                return;
            }
            connected = true;
            timeout = scheduler.schedule(
                    () -> fail("no provisioning response within "
                            + config.provisionTimeout().toSeconds() + " s"),
                    config.provisionTimeout());
            // Subscribe first and wait for SUBACK: a response published before the subscription exists is lost.
            connection.subscribe(Topics.PROVISION_RESPONSE, QOS, ack -> scheduler.execute(() -> subscribed(ack)));
        }

        @Override
        public void refused(int reasonCode, String reason) {
            finish(() -> outcome.refused(reasonCode, reason));
        }

        @Override
        public void connectFailed(String problem) {
            fail("cannot connect to " + config.serverUri() + ": " + problem);
        }

        @Override
        public void disconnectedByServer(int reasonCode, String reasonString) {
            connected = false;
            fail("the server closed the claim connection: " + ReasonCodes.describe(reasonCode, reasonString));
        }

        @Override
        public void lost(String problem) {
            connected = false;
            fail("claim connection lost: " + problem);
        }

        @Override
        public void messageArrived(String topic, byte[] payload) {
            if (!finished && Topics.PROVISION_RESPONSE.equals(topic)) {
                responded(payload);
            }
        }
    }
}
