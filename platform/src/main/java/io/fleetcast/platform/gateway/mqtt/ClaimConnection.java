package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.provisioning.ClaimGrant;
import io.fleetcast.platform.provisioning.ClaimVerdict;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A device provisioning itself: it connects with a claim token, may subscribe only to
 * {@code $prov/res} and publish only to {@code $prov/req}, and gets one answer. The connection is
 * closed after a time limit whatever happens.
 */
final class ClaimConnection extends Connection {

    private static final Logger LOG = Logger.getLogger(ClaimConnection.class);

    private ClaimGrant grant;
    private boolean requested;
    private long timer = -1;

    ClaimConnection(MqttEndpoint endpoint, Gateway gateway) {
        super(endpoint, gateway);
    }

    @Override
    String kind() {
        return "claim";
    }

    @Override
    String who() {
        return "clientId=" + endpoint.clientIdentifier()
                + (grant == null ? "" : " claimId=" + grant.claimId() + " tenantId=" + grant.tenantId());
    }

    @Override
    void start() {
        String token = endpoint.auth().getPassword();
        int separator = token == null ? -1 : token.indexOf(Credentials.CLAIM_TOKEN_SEPARATOR);
        if (refusedForRate(separator < 0 ? null : token.substring(0, separator))) {
            return;
        }
        gateway.claims
                .check(token)
                .subscribe()
                .with(
                        verdict -> onContext(() -> onChecked(verdict)),
                        failure -> onContext(() -> {
                            LOG.errorf(failure, "Claim check failed to complete %s", who());
                            refuseConnect(
                                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                                    ProvisionError.UNAVAILABLE.name());
                        }));
    }

    @Override
    void onClosed() {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
        }
    }

    private void onChecked(ClaimVerdict verdict) {
        if (!isOpen()) {
            return; // the client went away while we checked
        }
        if (!verdict.isGranted()) {
            boolean unknown = verdict.error() == ProvisionError.CLAIM_UNKNOWN;
            refuseConnect(
                    unknown
                            ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    unknown
                            ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                    verdict.error().name());
            return;
        }
        grant = verdict.grant();
        endpoint.publishHandler(this::onPublish);
        endpoint.publishReleaseHandler(endpoint::publishComplete);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(message -> endpoint.unsubscribeAcknowledge(message.messageId()));
        endpoint.accept(false);
        gateway.metrics.connectAccepted(kind());
        timer = context.owner()
                .setTimer(
                        gateway.config.claimSessionSeconds() * 1000L,
                        id -> close(
                                DisconnectReason.PROTOCOL_ERROR,
                                MqttDisconnectReasonCode.MAXIMUM_CONNECT_TIME,
                                "claim_session_expired"));
    }

    private void onSubscribe(MqttSubscribeMessage message) {
        List<MqttSubAckReasonCode> codes = message.topicSubscriptions().stream()
                .map(MqttTopicSubscription::topicName)
                .map(filter -> Topics.PROVISION_RESPONSE.equals(filter)
                        ? MqttSubAckReasonCode.GRANTED_QOS1
                        : MqttSubAckReasonCode.NOT_AUTHORIZED)
                .toList();
        if (isMqtt5()) {
            endpoint.subscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.subscribeAcknowledge(
                    message.messageId(),
                    codes.stream()
                            .map(code -> code.isError() ? MqttQoS.FAILURE : MqttQoS.AT_LEAST_ONCE)
                            .toList());
        }
    }

    private void onPublish(MqttPublishMessage message) {
        if (!isValidTopicName(message)) {
            return;
        }
        if (!Topics.PROVISION_REQUEST.equals(message.topicName())) {
            refusePublish(
                    message, MqttPubAckReasonCode.NOT_AUTHORIZED, DisconnectReason.NOT_AUTHORIZED, "topic_not_allowed");
            return;
        }
        acknowledge(message);
        ProvisionRequest request;
        try {
            request = Json.decode(message.payload().getBytes(), ProvisionRequest.class);
        } catch (Json.MalformedPayloadException e) {
            request = null;
        }
        if (request == null || !request.isValid()) {
            gateway.metrics.rejected("invalid_provision_request");
            String requestId = request == null ? null : request.requestId();
            respond(ProvisionResponse.failure(
                    requestId,
                    ProvisionError.INVALID_REQUEST,
                    "send requestId, serial and optionally firmwareVersion and csr"));
            return;
        }
        if (requested) {
            respond(ProvisionResponse.failure(
                    request.requestId(), ProvisionError.INVALID_REQUEST, "one provisioning per connection"));
            return;
        }
        requested = true;
        gateway.provisioner.provision(grant, request).subscribe().with(response -> onContext(() -> respond(response)));
    }

    private void respond(ProvisionResponse response) {
        if (!response.isSuccess()) {
            LOG.infof("Provisioning refused %s error=%s", who(), response.error());
        }
        if (!isOpen()) {
            // The device left before its answer. It retries with the same request id and, as it never
            // connected, gets its credential again (see ProvisioningBatch).
            LOG.warnf("Provisioning answer lost, client gone %s", who());
            return;
        }
        // Sent whether or not the client subscribed: the answer belongs to this connection alone.
        endpoint.publish(
                Topics.PROVISION_RESPONSE, Buffer.buffer(Json.encode(response)), MqttQoS.AT_LEAST_ONCE, false, false);
    }
}
