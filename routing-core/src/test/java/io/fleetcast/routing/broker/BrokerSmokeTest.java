package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.routing.InterestListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BrokerSmokeTest {

    private Broker broker;
    private BrokerListener listener;

    @BeforeEach
    void start() throws Exception {
        broker = new Broker(BrokerConfig.DEFAULT, OpenPolicy.AUTHENTICATOR, BrokerEvents.NONE, InterestListener.NONE);
        listener = BrokerListener.start(broker, 0, 2);
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    @Test
    void deliversAtEveryQos() throws Exception {
        MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + listener.port(), "sub", new MemoryPersistence());
        MqttClient publisher = new MqttClient("tcp://127.0.0.1:" + listener.port(), "pub", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        subscriber.connect(options);
        publisher.connect(options);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        subscriber.subscribe(
                "a/+",
                2,
                (topic, message) -> received.add(topic + ":" + message.getQos() + ":"
                        + new String(message.getPayload(), StandardCharsets.UTF_8)));
        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("a/b", ("m" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("a/b:" + qos + ":m" + qos);
        }
        publisher.disconnect();
        subscriber.disconnect();
        publisher.close();
        subscriber.close();
    }
}
