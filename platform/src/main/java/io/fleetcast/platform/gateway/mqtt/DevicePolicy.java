package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.device.DeviceOnline;
import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.CertificateError;
import io.fleetcast.protocol.CertificateRequest;
import io.fleetcast.protocol.CertificateResponse;
import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.protocol.Topics;
import io.fleetcast.routing.TopicFilter;
import io.fleetcast.routing.broker.ClientHandle;
import io.fleetcast.routing.broker.ClientPolicy;
import io.fleetcast.routing.broker.CloseCause;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.PublishVerdict;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A provisioned device's rights: publish and subscribe under its own prefix, read its tenant's
 * broadcast topics. What it publishes on the protocol's topics is handled here (reported state,
 * certificate rotation, feature subtopics such as OTA reports) before any routing; its presence is
 * recorded in the registry.
 */
final class DevicePolicy implements ClientPolicy {

    private static final Logger LOG = Logger.getLogger(DevicePolicy.class);

    private final Gateway gateway;
    private final String clientId;
    private final UUID deviceId;
    private final String tenantId;
    /** The serial of the certificate this session authenticated with, or null for a credential. */
    private final String certificateSerial;

    private volatile ClientHandle handle;
    private volatile DisconnectReason kickReason;
    private final AtomicBoolean certificateRequestInFlight = new AtomicBoolean();

    DevicePolicy(Gateway gateway, String clientId, UUID deviceId, String tenantId, String certificateSerial) {
        this.gateway = gateway;
        this.clientId = clientId;
        this.deviceId = deviceId;
        this.tenantId = tenantId;
        this.certificateSerial = certificateSerial;
    }

    @Override
    public String describe() {
        return "deviceId=" + clientId + " tenantId=" + tenantId;
    }

    String certificateSerial() {
        return certificateSerial;
    }

    @Override
    public void opened(ClientHandle client) {
        this.handle = client;
        gateway.sessions.register(clientId, this);
        gateway.activity.connected(deviceId);
        gateway.online.fireAsync(new DeviceOnline(tenantId, deviceId));
        gateway.metrics.connectAccepted("device");
        LOG.infof("Device connected %s protocol=%d", describe(), client.isV5() ? 5 : 4);
    }

    /** Cuts the session from any thread, e.g. when the device is disabled or its certificate revoked. */
    void kick(DisconnectReason reason) {
        ClientHandle client = handle;
        if (client == null) {
            return;
        }
        kickReason = reason;
        int code = reason == DisconnectReason.SERVER_SHUTDOWN
                ? ReasonCodes.SERVER_SHUTTING_DOWN
                : ReasonCodes.NOT_AUTHORIZED;
        client.disconnect(code, reason.name().toLowerCase());
    }

    /** Publishes to this device at QoS 1 from any thread. */
    void send(String subtopic, byte[] payload) {
        ClientHandle client = handle;
        if (client != null) {
            client.send(Message.of(Topics.devicePrefix(clientId) + subtopic, 1, false, payload));
        }
    }

    @Override
    public PublishVerdict onPublish(Message message) {
        String subtopic = Topics.deviceSubtopic(message.topic(), clientId);
        if (subtopic == null) {
            gateway.metrics.rejected("topic_not_allowed");
            LOG.infof("PUBLISH refused %s topic=%s reason=topic_not_allowed", describe(), message.topic());
            return PublishVerdict.refuse(ReasonCodes.NOT_AUTHORIZED, "topic_not_allowed");
        }
        if (subtopic.equals(Topics.STATE)) {
            return onState(message);
        }
        if (subtopic.equals(Topics.CERTIFICATE_REQUEST)) {
            onCertificateRequest(message);
            return PublishVerdict.CONSUME; // private to this connection, like its answer
        }
        DeviceTopicHandler handler = gateway.topicHandlers.get(subtopic);
        if (handler != null) {
            DeviceTopicHandler.Outcome outcome =
                    handler.handle(new DeviceTopicHandler.Message(tenantId, deviceId, message.payload()));
            gateway.metrics.received(handler.subtopic());
            return outcome == DeviceTopicHandler.Outcome.ACCEPTED
                    ? PublishVerdict.CONSUME
                    : refused("invalid_" + handler.subtopic());
        }
        gateway.metrics.received(subtopic.equals(Topics.TELEMETRY) ? "telemetry" : "other");
        return PublishVerdict.ROUTE;
    }

    private PublishVerdict onState(Message message) {
        ReportedState state;
        try {
            state = Json.decode(message.payload(), ReportedState.class);
        } catch (Json.MalformedPayloadException e) {
            return refused("invalid_state");
        }
        List<String> problems = state.problems();
        if (!problems.isEmpty()) {
            LOG.infof("Invalid state report %s problems=%s", describe(), problems);
            return refused("invalid_state");
        }
        gateway.activity.reported(deviceId, state);
        gateway.metrics.received("state");
        return PublishVerdict.ROUTE;
    }

    private PublishVerdict refused(String why) {
        gateway.metrics.rejected(why);
        LOG.infof("PUBLISH refused %s reason=%s", describe(), why);
        return PublishVerdict.refuse(ReasonCodes.PAYLOAD_FORMAT_INVALID, why);
    }

    /**
     * Rotation: a new certificate for a new key, while the current one stays valid. One request at a
     * time per connection; the answer goes to this connection only, like a provisioning answer.
     */
    private void onCertificateRequest(Message message) {
        CertificateRequest request;
        try {
            request = Json.decode(message.payload(), CertificateRequest.class);
        } catch (Json.MalformedPayloadException e) {
            request = null;
        }
        gateway.metrics.received("certificate_request");
        if (request == null || !request.isValid()) {
            gateway.metrics.rejected("invalid_certificate_request");
            respond(CertificateResponse.failure(
                    request == null ? null : request.requestId(),
                    CertificateError.INVALID_REQUEST,
                    "send requestId and csr"));
            return;
        }
        if (!certificateRequestInFlight.compareAndSet(false, true)) {
            respond(CertificateResponse.failure(request.requestId(), CertificateError.BUSY, "one request at a time"));
            return;
        }
        String requestId = request.requestId();
        gateway.certificates
                .rotate(tenantId, deviceId, requestId, request.csr())
                .subscribe()
                .with(
                        response -> {
                            certificateRequestInFlight.set(false);
                            respond(response);
                        },
                        failure -> {
                            LOG.errorf(failure, "Certificate request failed %s", describe());
                            certificateRequestInFlight.set(false);
                            respond(CertificateResponse.failure(
                                    requestId, CertificateError.UNAVAILABLE, "try again later"));
                        });
    }

    private void respond(CertificateResponse response) {
        if (!response.isSuccess()) {
            LOG.infof("Certificate request refused %s error=%s", describe(), response.error());
        }
        ClientHandle client = handle;
        if (client != null) {
            client.send(Message.of(Topics.certificateResponse(clientId), 1, false, Json.encode(response)));
        }
    }

    @Override
    public int onSubscribe(TopicFilter filter, int requestedQos) {
        String raw = filter.filter();
        boolean allowed = Topics.isUnderDevicePrefix(raw, clientId) || Topics.isTenantBroadcast(raw, tenantId);
        if (!allowed) {
            gateway.metrics.rejected("filter_not_allowed");
            LOG.infof("SUBSCRIBE refused %s filter=%s", describe(), filter);
            return ReasonCodes.NOT_AUTHORIZED;
        }
        return requestedQos;
    }

    @Override
    public void closed(CloseCause cause) {
        DisconnectReason reason =
                switch (cause) {
                    case CLIENT_DISCONNECT -> DisconnectReason.CLIENT_DISCONNECT;
                    case KEEP_ALIVE_TIMEOUT -> DisconnectReason.KEEP_ALIVE_TIMEOUT;
                    case TAKEN_OVER -> DisconnectReason.TAKEN_OVER;
                    case PROTOCOL_ERROR -> DisconnectReason.PROTOCOL_ERROR;
                    case SERVER_SHUTDOWN -> DisconnectReason.SERVER_SHUTDOWN;
                    case KICKED -> kickReason == null ? DisconnectReason.NOT_AUTHORIZED : kickReason;
                    case CONNECTION_LOST, SLOW_CONSUMER -> DisconnectReason.CONNECTION_LOST;
                };
        gateway.metrics.disconnected(reason.name().toLowerCase());
        // A session that was taken over leaves presence to its successor.
        if (handle != null && gateway.sessions.unregister(clientId, this)) {
            gateway.activity.disconnected(deviceId, reason);
        }
        LOG.infof("Device disconnected %s reason=%s", describe(), reason);
    }
}
