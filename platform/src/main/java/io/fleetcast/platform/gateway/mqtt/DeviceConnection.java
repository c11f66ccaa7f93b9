package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.device.DeviceOnline;
import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.platform.gateway.mqtt.DeviceAuthenticator.Result;
import io.fleetcast.protocol.CertificateError;
import io.fleetcast.protocol.CertificateRequest;
import io.fleetcast.protocol.CertificateResponse;
import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.Limits;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A provisioned device's connection: authenticated by its credential, confined to its own topic
 * prefix (plus read access to its tenant's broadcast topics), its presence and reported state
 * recorded in the registry.
 */
final class DeviceConnection extends Connection {

    private static final Logger LOG = Logger.getLogger(DeviceConnection.class);
    private static final int MAX_SUBSCRIPTIONS = 100;

    private final String clientId;
    private final Set<String> subscriptions = new HashSet<>();
    private UUID deviceId;
    private String tenantId;
    private boolean registered;
    /** Written once on the event loop before the session is registered; read by revocation from any thread. */
    private volatile String certificateSerial;

    private boolean certificateRequestInFlight;
    private boolean clientSentDisconnect;
    private DisconnectReason closeReason;
    private long lastHeardNanos = System.nanoTime();

    DeviceConnection(MqttEndpoint endpoint, Gateway gateway) {
        super(endpoint, gateway);
        this.clientId = endpoint.clientIdentifier();
    }

    @Override
    String kind() {
        return "device";
    }

    @Override
    String who() {
        return "deviceId=" + clientId + (tenantId == null ? "" : " tenantId=" + tenantId);
    }

    @Override
    void start() {
        if (refusedForRate(null)) {
            return;
        }
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        X509Certificate certificate = ClientCertificates.of(endpoint);
        Uni<Result> authentication = certificate != null
                ? gateway.authenticator.authenticate(clientId, username, certificate)
                : gateway.authenticator.authenticate(clientId, username, password);
        authentication
                .subscribe()
                .with(
                        result -> onContext(() -> onAuthenticated(result)),
                        failure -> onContext(() -> {
                            LOG.errorf(failure, "Authentication failed to complete %s", who());
                            refuseConnect(
                                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                                    "server_unavailable");
                        }));
    }

    private void onAuthenticated(Result result) {
        if (!isOpen()) {
            return; // the client went away while we checked
        }
        switch (result.outcome()) {
            case BAD_CREDENTIALS -> refuseConnect(
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                    "bad_credentials");
            case DISABLED -> refuseConnect(
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                    "device_disabled");
            case CLIENT_ID_MISMATCH -> refuseConnect(
                    MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
                    "client_id_mismatch");
            case CERTIFICATE_REVOKED -> refuseConnect(
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                    "certificate_revoked");
            case CERTIFICATE_EXPIRED -> refuseConnect(
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                    "certificate_expired");
            case ACCEPTED -> accept(result);
        }
    }

    private void accept(Result result) {
        deviceId = result.deviceId();
        tenantId = result.tenantId();
        certificateSerial = result.certificateSerial();
        endpoint.publishHandler(this::onPublish);
        endpoint.publishReleaseHandler(endpoint::publishComplete);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.pingHandler(v -> heard());
        endpoint.disconnectHandler(v -> clientSentDisconnect = true);
        endpoint.accept(false);

        DeviceConnection previous = gateway.sessions.register(clientId, this);
        registered = true;
        if (previous != null) {
            previous.kick(DisconnectReason.TAKEN_OVER);
        }
        gateway.activity.connected(deviceId);
        gateway.online.fireAsync(new DeviceOnline(tenantId, deviceId));
        gateway.metrics.connectAccepted(kind());
        LOG.infof("Device connected %s protocol=%d", who(), endpoint.protocolVersion());
    }

    /** The serial of the certificate this session authenticated with, or null for a credential. */
    String certificateSerial() {
        return certificateSerial;
    }

    /** Closes this session from any thread, e.g. when the device is disabled or connects again. */
    void kick(DisconnectReason reason) {
        MqttDisconnectReasonCode code =
                switch (reason) {
                    case TAKEN_OVER -> MqttDisconnectReasonCode.SESSION_TAKEN_OVER;
                    case SERVER_SHUTDOWN -> MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN;
                    default -> MqttDisconnectReasonCode.NOT_AUTHORIZED;
                };
        onContext(() -> close(reason, code, reason.name().toLowerCase()));
    }

    @Override
    void closingBecause(DisconnectReason reason) {
        closeReason = reason;
    }

    private void onPublish(MqttPublishMessage message) {
        heard();
        if (!isValidTopicName(message)) {
            return;
        }
        String subtopic = Topics.deviceSubtopic(message.topicName(), clientId);
        if (subtopic == null) {
            refusePublish(
                    message, MqttPubAckReasonCode.NOT_AUTHORIZED, DisconnectReason.NOT_AUTHORIZED, "topic_not_allowed");
            return;
        }
        if (subtopic.equals(Topics.STATE)) {
            onState(message);
        } else if (subtopic.equals(Topics.CERTIFICATE_REQUEST)) {
            onCertificateRequest(message);
        } else if (gateway.topicHandlers.containsKey(subtopic)) {
            onHandled(gateway.topicHandlers.get(subtopic), message);
        } else {
            gateway.metrics.received(subtopic.equals(Topics.TELEMETRY) ? "telemetry" : "other");
            acknowledge(message);
        }
    }

    private void onHandled(DeviceTopicHandler handler, MqttPublishMessage message) {
        DeviceTopicHandler.Outcome outcome = handler.handle(new DeviceTopicHandler.Message(
                tenantId, deviceId, message.payload().getBytes()));
        gateway.metrics.received(handler.subtopic());
        if (outcome == DeviceTopicHandler.Outcome.ACCEPTED) {
            acknowledge(message);
        } else {
            refusePublish(
                    message,
                    MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID,
                    DisconnectReason.PROTOCOL_ERROR,
                    "invalid_" + handler.subtopic());
        }
    }

    /** Publishes to this device at QoS 1 from any thread; dropped when the connection is gone. */
    void send(String subtopic, byte[] payload) {
        onContext(() -> {
            if (isOpen() && endpoint.isConnected()) {
                endpoint.publish(
                        Topics.devicePrefix(clientId) + subtopic,
                        Buffer.buffer(payload),
                        MqttQoS.AT_LEAST_ONCE,
                        false,
                        false);
            }
        });
    }

    private void onState(MqttPublishMessage message) {
        ReportedState state;
        try {
            state = Json.decode(message.payload().getBytes(), ReportedState.class);
        } catch (Json.MalformedPayloadException e) {
            refusePublish(
                    message,
                    MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID,
                    DisconnectReason.PROTOCOL_ERROR,
                    "invalid_state");
            return;
        }
        List<String> problems = state.problems();
        if (!problems.isEmpty()) {
            LOG.infof("Invalid state report %s problems=%s", who(), problems);
            refusePublish(
                    message,
                    MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID,
                    DisconnectReason.PROTOCOL_ERROR,
                    "invalid_state");
            return;
        }
        gateway.activity.reported(deviceId, state);
        gateway.metrics.received("state");
        acknowledge(message);
    }

    /**
     * Rotation: a new certificate for a new key, while the current one stays valid. One request at a
     * time per connection; the answer goes to this connection only, like a provisioning answer.
     */
    private void onCertificateRequest(MqttPublishMessage message) {
        CertificateRequest request;
        try {
            request = Json.decode(message.payload().getBytes(), CertificateRequest.class);
        } catch (Json.MalformedPayloadException e) {
            request = null;
        }
        acknowledge(message);
        gateway.metrics.received("certificate_request");
        if (request == null || !request.isValid()) {
            gateway.metrics.rejected("invalid_certificate_request");
            respond(CertificateResponse.failure(
                    request == null ? null : request.requestId(),
                    CertificateError.INVALID_REQUEST,
                    "send requestId and csr"));
            return;
        }
        if (certificateRequestInFlight) {
            respond(CertificateResponse.failure(request.requestId(), CertificateError.BUSY, "one request at a time"));
            return;
        }
        certificateRequestInFlight = true;
        String requestId = request.requestId();
        gateway.certificates
                .rotate(tenantId, deviceId, requestId, request.csr())
                .subscribe()
                .with(
                        response -> onContext(() -> {
                            certificateRequestInFlight = false;
                            respond(response);
                        }),
                        failure -> onContext(() -> {
                            LOG.errorf(failure, "Certificate request failed %s", who());
                            certificateRequestInFlight = false;
                            respond(CertificateResponse.failure(
                                    requestId, CertificateError.UNAVAILABLE, "try again later"));
                        }));
    }

    private void respond(CertificateResponse response) {
        if (!response.isSuccess()) {
            LOG.infof("Certificate request refused %s error=%s", who(), response.error());
        }
        if (isOpen()) {
            endpoint.publish(
                    Topics.certificateResponse(clientId),
                    Buffer.buffer(Json.encode(response)),
                    MqttQoS.AT_LEAST_ONCE,
                    false,
                    false);
        }
    }

    private void onSubscribe(MqttSubscribeMessage message) {
        heard();
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
            codes.add(subscribe(subscription.topicName(), subscription.qualityOfService()));
        }
        if (isMqtt5()) {
            endpoint.subscribeAcknowledge(
                    message.messageId(), codes, io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.subscribeAcknowledge(
                    message.messageId(),
                    codes.stream()
                            .map(code -> code.isError() ? MqttQoS.FAILURE : MqttQoS.valueOf(code.value()))
                            .toList());
        }
    }

    private MqttSubAckReasonCode subscribe(String filter, MqttQoS requested) {
        if (filter == null || filter.isEmpty() || filter.length() > Limits.MAX_TOPIC_LENGTH) {
            gateway.metrics.rejected("invalid_filter");
            return MqttSubAckReasonCode.TOPIC_FILTER_INVALID;
        }
        boolean allowed = Topics.isUnderDevicePrefix(filter, clientId) || Topics.isTenantBroadcast(filter, tenantId);
        if (!allowed) {
            gateway.metrics.rejected("filter_not_allowed");
            LOG.infof("SUBSCRIBE refused %s filter=%s", who(), filter);
            return MqttSubAckReasonCode.NOT_AUTHORIZED;
        }
        if (!subscriptions.contains(filter) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
            gateway.metrics.rejected("too_many_subscriptions");
            return MqttSubAckReasonCode.QUOTA_EXCEEDED;
        }
        subscriptions.add(filter);
        // Deliveries to devices are at most QoS 1 until the routing core brings QoS 2 outbound.
        return requested == MqttQoS.AT_MOST_ONCE
                ? MqttSubAckReasonCode.GRANTED_QOS0
                : MqttSubAckReasonCode.GRANTED_QOS1;
    }

    private void onUnsubscribe(MqttUnsubscribeMessage message) {
        heard();
        message.topics().forEach(subscriptions::remove);
        endpoint.unsubscribeAcknowledge(message.messageId());
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    void onClosed() {
        if (closeReason == null) {
            closeReason = clientSentDisconnect ? DisconnectReason.CLIENT_DISCONNECT : silentCloseReason();
        }
        gateway.metrics.disconnected(closeReason.name().toLowerCase());
        if (!registered) {
            return;
        }
        // A session that was taken over leaves presence to its successor.
        if (gateway.sessions.unregister(clientId, this)) {
            gateway.activity.disconnected(deviceId, closeReason);
        }
        LOG.infof("Device disconnected %s reason=%s", who(), closeReason);
    }

    /** Vert.x closes a connection silent for 1.5 keep-alive intervals; anything else is a lost link. */
    private DisconnectReason silentCloseReason() {
        long keepAliveNanos = endpoint.keepAliveTimeSeconds() * 1_000_000_000L;
        boolean silent =
                keepAliveNanos > 0 && System.nanoTime() - lastHeardNanos >= keepAliveNanos * 3 / 2 - 100_000_000L;
        return silent ? DisconnectReason.KEEP_ALIVE_TIMEOUT : DisconnectReason.CONNECTION_LOST;
    }
}
