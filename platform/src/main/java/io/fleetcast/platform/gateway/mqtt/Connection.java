package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.Limits;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import org.jboss.logging.Logger;

/**
 * One MQTT connection. Every method runs on the connection's event loop (its Vert.x context); work
 * that completes elsewhere comes back through {@link #onContext(Runnable)}.
 *
 * <p>Refusals use what each protocol version can say: MQTT 5 gets reason codes on CONNACK, PUBACK,
 * SUBACK and DISCONNECT; MQTT 3.1.1 can only refuse a CONNECT with a return code, mark a subscription
 * failed, or close the connection.
 */
abstract class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class);

    protected final MqttEndpoint endpoint;
    protected final Context context;
    protected final Gateway gateway;
    private boolean closing;
    private boolean open = true;

    Connection(MqttEndpoint endpoint, Gateway gateway) {
        this.endpoint = endpoint;
        this.context = Vertx.currentContext();
        this.gateway = gateway;
        endpoint.exceptionHandler(this::onException);
        endpoint.closeHandler(v -> {
            open = false;
            onClosed();
        });
    }

    /** Called once when the network connection is gone, whoever closed it. */
    void onClosed() {}

    /** False once the network connection is gone; the endpoint then refuses every write. */
    boolean isOpen() {
        return open;
    }

    /** Called on the event loop right after CONNECT arrived. */
    abstract void start();

    /** A short name for metrics: device or claim. */
    abstract String kind();

    /** Who this connection is, for log lines. */
    abstract String who();

    boolean isMqtt5() {
        return endpoint.protocolVersion() >= MqttVersion.MQTT_5.protocolLevel();
    }

    void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    void refuseConnect(MqttConnectReturnCode v3, MqttConnectReturnCode v5, String reason) {
        gateway.metrics.authFailure(kind(), reason);
        LOG.infof("CONNECT refused %s address=%s reason=%s", who(), address(), reason);
        if (v5 == MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                || v5 == MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID) {
            // Guessing credentials costs the guesser: see RateLimits.
            gateway.limits.connectFailed(address());
        }
        if (!open) {
            return;
        }
        endpoint.reject(isMqtt5() ? v5 : v3, isMqtt5() ? reasonString(reason) : MqttProperties.NO_PROPERTIES);
    }

    /**
     * Refuses a CONNECT at once, before any database work, when the address has failed too often or
     * the claim is used too fast; true when refused.
     */
    boolean refusedForRate(String claimId) {
        boolean overRate =
                !gateway.limits.mayConnect(address()) || (claimId != null && !gateway.limits.mayUseClaim(claimId));
        if (overRate) {
            refuseConnect(
                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED,
                    "rate_limited");
        }
        return overRate;
    }

    String address() {
        return endpoint.remoteAddress() == null
                ? "unknown"
                : endpoint.remoteAddress().host();
    }

    /** Acknowledges an accepted PUBLISH as its QoS requires. */
    void acknowledge(MqttPublishMessage message) {
        if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(message.messageId());
        } else if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            endpoint.publishReceived(message.messageId());
        }
    }

    /**
     * Refuses a PUBLISH. MQTT 5 answers QoS 1 and 2 with a reason code and keeps the connection;
     * otherwise the only way to tell the client is to disconnect it.
     */
    void refusePublish(MqttPublishMessage message, MqttPubAckReasonCode code, DisconnectReason reason, String why) {
        gateway.metrics.rejected(why);
        LOG.infof("PUBLISH refused %s topic=%s reason=%s", who(), message.topicName(), why);
        if (isMqtt5() && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(message.messageId(), code, reasonString(why));
        } else if (isMqtt5() && message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            endpoint.publishReceived(
                    message.messageId(), MqttPubRecReasonCode.valueOf(code.value()), reasonString(why));
        } else {
            close(reason, MqttDisconnectReasonCode.valueOf(code.value()), why);
        }
    }

    /** Checks a PUBLISH topic against the protocol rules; false after refusing it. */
    boolean isValidTopicName(MqttPublishMessage message) {
        String topic = message.topicName();
        if (topic == null
                || topic.isEmpty()
                || topic.length() > Limits.MAX_TOPIC_LENGTH
                || topic.indexOf('+') >= 0
                || topic.indexOf('#') >= 0
                || topic.indexOf('\0') >= 0) {
            gateway.metrics.rejected("invalid_topic");
            close(DisconnectReason.PROTOCOL_ERROR, MqttDisconnectReasonCode.TOPIC_NAME_INVALID, "invalid_topic");
            return false;
        }
        return true;
    }

    /** Sends DISCONNECT with a reason (MQTT 5) and closes the connection. */
    void close(DisconnectReason reason, MqttDisconnectReasonCode code, String why) {
        if (closing || !open) {
            return;
        }
        closing = true;
        closingBecause(reason);
        LOG.infof("Disconnecting %s reason=%s detail=%s", who(), reason, why);
        if (endpoint.isConnected()) {
            endpoint.disconnect(code, isMqtt5() ? reasonString(why) : MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.close(); // before CONNACK there is no session to send DISCONNECT on
        }
    }

    /** Lets a subclass remember why the connection is closing before the close handler runs. */
    void closingBecause(DisconnectReason reason) {}

    /**
     * Netty's decoder failed: a malformed or oversized packet. The decoder discards everything after
     * a failure, so the connection is useless and is closed.
     */
    void onException(Throwable failure) {
        boolean tooLarge = failure instanceof TooLongFrameException;
        String why = tooLarge ? "packet_too_large" : "malformed_packet";
        gateway.metrics.rejected(why);
        close(
                DisconnectReason.PROTOCOL_ERROR,
                tooLarge ? MqttDisconnectReasonCode.PACKET_TOO_LARGE : MqttDisconnectReasonCode.MALFORMED_PACKET,
                why);
    }

    static MqttProperties reasonString(String reason) {
        MqttProperties properties = new MqttProperties();
        properties.add(
                new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(), reason));
        return properties;
    }
}
