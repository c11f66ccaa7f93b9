package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 client that collects what it receives and how it was disconnected. */
final class Paho5 implements AutoCloseable {

    private static final long WAIT_MILLIS = 5000;

    final MqttAsyncClient client;
    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private volatile MqttDisconnectResponse disconnected;

    Paho5(String uri, String clientId) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected = response;
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(Delivery.v5(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    }

    static MqttConnectionOptions options(boolean cleanStart, long sessionExpirySeconds) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpirySeconds);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        return options;
    }

    /** Connects; returns Session Present. */
    boolean connect(boolean cleanStart, long sessionExpirySeconds) throws MqttException {
        return connect(options(cleanStart, sessionExpirySeconds)).getSessionPresent();
    }

    IMqttToken connect(MqttConnectionOptions options) throws MqttException {
        disconnected = null;
        IMqttToken token = client.connect(options);
        token.waitForCompletion(WAIT_MILLIS);
        return token;
    }

    /** Subscribes; returns the SUBACK reason code. */
    int subscribe(String filter, int qos) throws MqttException {
        return subscribe(new MqttSubscription(filter, qos), 0);
    }

    /** Subscribes with options and a subscription identifier (0 for none); returns the reason code. */
    int subscribe(MqttSubscription subscription, int subscriptionId) throws MqttException {
        MqttProperties properties = new MqttProperties();
        if (subscriptionId > 0) {
            properties.setSubscriptionIdentifier(subscriptionId);
        }
        IMqttToken token = client.subscribe(new MqttSubscription[] {subscription}, null, null, properties);
        token.waitForCompletion(WAIT_MILLIS);
        return token.getReasonCodes()[0];
    }

    /** Unsubscribes; returns the UNSUBACK reason code. */
    int unsubscribe(String filter) throws MqttException {
        IMqttToken token = client.unsubscribe(filter);
        token.waitForCompletion(WAIT_MILLIS);
        return token.getReasonCodes()[0];
    }

    /** Publishes and waits for the acknowledgement flow; returns the token (reason codes, response). */
    IMqttToken publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), qos, retain, null);
        return publish(topic, message);
    }

    IMqttToken publish(String topic, MqttMessage message) throws MqttException {
        IMqttToken token = client.publish(topic, message);
        token.waitForCompletion(WAIT_MILLIS);
        return token;
    }

    Delivery next() throws InterruptedException {
        Delivery delivery = received.poll(5, TimeUnit.SECONDS);
        assertThat(delivery).as(client.getClientId() + " receives a message").isNotNull();
        return delivery;
    }

    /** The next message if one has arrived, else null; does not wait. */
    Delivery poll() {
        return received.poll();
    }

    void expectNothing(Duration wait) throws InterruptedException {
        assertThat(received.poll(wait.toMillis(), TimeUnit.MILLISECONDS))
                .as(client.getClientId() + " receives nothing")
                .isNull();
    }

    void ack(Delivery delivery) throws MqttException {
        client.messageArrivedComplete(delivery.id(), delivery.qos());
    }

    /** The broker's DISCONNECT reason code once the client was disconnected, within the wait limit. */
    int awaitDisconnectedBy() {
        Await.until(client.getClientId() + " disconnected", () -> disconnected != null);
        return disconnected.getReturnCode();
    }

    /** Closes the socket without DISCONNECT, as a crashed device would. */
    void kill() throws MqttException {
        client.disconnectForcibly(0, 1000, false);
    }

    void disconnect() throws MqttException {
        client.disconnect().waitForCompletion(WAIT_MILLIS);
    }

    /** DISCONNECT with a reason code and properties (e.g. a new Session Expiry Interval). */
    void disconnect(int reasonCode, MqttProperties properties) throws MqttException {
        client.disconnect(1000, null, null, reasonCode, properties).waitForCompletion(WAIT_MILLIS);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 1000, false);
        }
        client.close(true);
    }
}
