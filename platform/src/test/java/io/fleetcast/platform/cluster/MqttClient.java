package io.fleetcast.platform.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A real MQTT 5 client (Eclipse Paho) that records what it receives and how it was disconnected. */
final class MqttClient implements AutoCloseable {

    /** A message as received. */
    record Received(String topic, String payload, boolean retained) {}

    private static final long WAIT_MILLIS = 20_000;

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> disconnectedWith = new CompletableFuture<>();
    private boolean sessionPresent;

    private MqttClient(MqttAsyncClient client) {
        this.client = client;
    }

    /** A clean session that ends when the client disconnects. */
    static MqttClient connect(String uri, String clientId) throws MqttException {
        return connect(uri, clientId, true, 0);
    }

    /** A session that outlives the connection for {@code expirySeconds} when not {@code cleanStart}. */
    static MqttClient connect(String uri, String clientId, boolean cleanStart, long expirySeconds)
            throws MqttException {
        MqttClient wrapper = new MqttClient(new MqttAsyncClient(uri, clientId, new MemoryPersistence()));
        wrapper.client.setCallback(wrapper.new Callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(expirySeconds);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        IMqttToken token = wrapper.client.connect(options);
        token.waitForCompletion(WAIT_MILLIS);
        wrapper.sessionPresent = token.getSessionPresent();
        return wrapper;
    }

    boolean sessionPresent() {
        return sessionPresent;
    }

    MqttClient subscribe(String filter, int qos) throws MqttException {
        client.subscribe(filter, qos).waitForCompletion(WAIT_MILLIS);
        return this;
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained)
                .waitForCompletion(WAIT_MILLIS);
    }

    List<Received> received() {
        return received;
    }

    List<String> payloads() {
        return received.stream().map(Received::payload).toList();
    }

    long count(String payload) {
        return received.stream().filter(r -> r.payload().equals(payload)).count();
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /** Disconnects normally; a persistent session then stays on the node for its expiry. */
    void disconnect() throws MqttException {
        client.disconnect().waitForCompletion(WAIT_MILLIS);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MILLIS);
            }
        } catch (MqttException e) {
            // the node may be gone already
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(
                    topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnectedWith.complete(response.getReturnCode());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
