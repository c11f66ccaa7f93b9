package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A Paho MQTT 3.1.1 client that collects what it receives. */
final class Paho3 implements AutoCloseable {

    final MqttClient client;
    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private volatile boolean lost;

    Paho3(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(5000);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost = true;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(Delivery.v3(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    }

    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(1000);
        return options;
    }

    /** Connects; returns Session Present. */
    boolean connect(boolean cleanSession) throws MqttException {
        return connect(options(cleanSession));
    }

    boolean connect(MqttConnectOptions options) throws MqttException {
        lost = false;
        return client.connectWithResult(options).getSessionPresent();
    }

    /** Subscribes; returns the granted QoS (0x80 for a failure). */
    int subscribe(String filter, int qos) throws MqttException {
        return client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
    }

    void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
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

    boolean lost() {
        return lost;
    }

    /** Closes the socket without DISCONNECT, as a crashed device would. */
    void kill() throws MqttException {
        client.disconnectForcibly(0, 1000, false);
    }

    void disconnect() throws MqttException {
        client.disconnect(0);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 1000, false);
        }
        client.close(true);
    }
}
