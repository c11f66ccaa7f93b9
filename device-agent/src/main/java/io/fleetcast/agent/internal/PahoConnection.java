package io.fleetcast.agent.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

/**
 * One connection over one Paho client. A fresh client per connection means that a late callback of a
 * dead connection can never be taken for one of the live connection.
 *
 * <p>Paho's own automatic reconnect stays off: it has no jitter, so a fleet would reconnect in lockstep.
 * Paho gives each client a few threads (receiver, sender, callback, pinger) for its lifetime; {@link
 * #close()} ends them, and the agent holds at most one connection at a time.
 */
final class PahoConnection implements Connection, MqttCallback {

    private static final Logger LOG = Logger.getLogger(PahoConnection.class.getName());

    /** How long CONNECT may take before the attempt counts as failed. */
    private static final int CONNECT_TIMEOUT_SECONDS = 20;

    /** How long a clean disconnect waits for in-flight publishes, e.g. the last state report. */
    private static final long QUIESCE_MILLIS = 1_000;

    private static final long FORCED_DISCONNECT_MILLIS = 1_000;

    private final ConnectSettings settings;
    private final Events events;
    private MqttAsyncClient client;
    private volatile boolean closed;

    PahoConnection(ConnectSettings settings, Events events) {
        this.settings = settings;
        this.events = events;
    }

    void start() {
        try {
            // Memory persistence: Paho's default writes a directory into the working directory.
            client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
            client.setCallback(this);
            client.connect(options(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    events.connected();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    connectFailed(failure);
                }
            });
        } catch (MqttException | IllegalArgumentException e) {
            connectFailed(e);
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        options.setAutomaticReconnect(false);
        options.setUserName(settings.username());
        if (settings.password() != null) {
            options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        if (settings.socketFactory() != null) {
            options.setSocketFactory(settings.socketFactory());
        }
        return options;
    }

    /**
     * Paho reports a CONNACK refusal as an exception carrying the reason code, and drops the CONNACK's
     * reason string on the way (1.2.5); any other failure carries a client-side code of 32000 or above.
     */
    private void connectFailed(Throwable failure) {
        if (failure instanceof MqttException mqtt
                && mqtt.getReasonCode() >= ReasonCodes.FIRST_FAILURE
                && mqtt.getReasonCode() <= 0xFF) {
            events.refused(mqtt.getReasonCode(), null);
        } else {
            events.connectFailed(describe(failure));
        }
    }

    @Override
    public void subscribe(String topicFilter, int qos, Consumer<Ack> acked) {
        try {
            MqttSubscription[] subscriptions = {new MqttSubscription(topicFilter, qos)};
            client.subscribe(subscriptions, null, ackListener(acked), new MqttProperties());
        } catch (MqttException | IllegalArgumentException e) {
            acked.accept(Ack.missing(describe(e)));
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, Consumer<Ack> acked) {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(false);
        try {
            client.publish(topic, message, null, ackListener(acked));
        } catch (MqttException | IllegalArgumentException e) {
            acked.accept(Ack.missing(describe(e)));
        }
    }

    @Override
    public void disconnect(Runnable done) {
        try {
            client.disconnect(
                    QUIESCE_MILLIS,
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            done.run();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            LOG.fine(() -> "DISCONNECT failed: " + describe(failure));
                            done.run();
                        }
                    },
                    MqttReturnCode.RETURN_CODE_SUCCESS,
                    new MqttProperties());
        } catch (MqttException | RuntimeException e) {
            LOG.fine(() -> "cannot send DISCONNECT: " + describe(e));
            done.run();
        }
    }

    @Override
    public void close() {
        if (closed || client == null) {
            return;
        }
        closed = true;
        try {
            client.close(true);
        } catch (MqttException stillOpen) {
            // Connecting or connected: Paho refuses to close until the network connection is dropped.
            try {
                client.disconnectForcibly(0, FORCED_DISCONNECT_MILLIS, false);
                client.close(true);
            } catch (MqttException e) {
                LOG.log(Level.FINE, "cannot close the MQTT client of " + settings.clientId(), e);
            }
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        if (closed) {
            return;
        }
        if (response.getException() != null) {
            events.lost(describe(response.getException()));
        } else {
            events.disconnectedByServer(response.getReturnCode(), response.getReasonString());
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warning(() -> "MQTT error on " + settings.clientId() + ": " + describe(exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        events.messageArrived(topic, message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}

    private static MqttActionListener ackListener(Consumer<Ack> acked) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                // A SUBACK or PUBACK with a failure code still completes the token successfully.
                int[] codes = token.getReasonCodes();
                int code = codes == null || codes.length == 0 ? 0 : codes[0];
                acked.accept(new Ack(code, reasonString(token.getResponse())));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
                acked.accept(Ack.missing(describe(failure)));
            }
        };
    }

    private static String reasonString(MqttWireMessage response) {
        return response == null || response.getProperties() == null
                ? null
                : response.getProperties().getReasonString();
    }

    /** Paho's messages alone ("Unable to connect to server") hide the cause, e.g. connection refused. */
    private static String describe(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        Throwable cause = failure.getCause();
        return cause == null || cause == failure ? message : message + " (" + cause + ")";
    }
}
