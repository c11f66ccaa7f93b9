package io.fleetcast.simulators.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the simulator's MQTT 5 clients. All clients share one executor config, so HiveMQ runs them
 * all on one Netty event loop group and one application scheduler instead of threads per client.
 */
public final class MqttClients {

    private final MqttClientExecutorConfig executorConfig;
    private final MqttClientTransportConfig transportConfig;

    /**
     * @param server resolved once here, so that 10,000 connects do not resolve the host 10,000 times
     * @param connectTimeout bound on both the TCP connect and the wait for CONNACK
     */
    public MqttClients(InetSocketAddress server, Duration connectTimeout) {
        // Netty would start two event loops per processor; one per processor (the JVM counts the
        // cores taskset allows) avoids context switches on the single core a benchmark pins us to.
        // Callbacks run on HiveMQ's default application scheduler (RxJava computation, also one
        // thread per processor).
        this.executorConfig = MqttClientExecutorConfig.builder()
                .nettyThreads(Runtime.getRuntime().availableProcessors())
                .build();
        this.transportConfig = MqttClientTransportConfig.builder()
                .serverAddress(server)
                .socketConnectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    /** A new, not yet connected client; automatic reconnect stays off so failures show up. */
    public Mqtt5AsyncClient newClient(String clientId) {
        return builder(clientId).buildAsync();
    }

    /**
     * Like {@link #newClient(String)}, with a listener HiveMQ calls on its Netty thread whenever a
     * connect attempt fails or the connection closes; it must not block.
     */
    public Mqtt5AsyncClient newClient(String clientId, MqttClientDisconnectedListener listener) {
        return builder(clientId).addDisconnectedListener(listener).buildAsync();
    }

    private Mqtt5ClientBuilder builder(String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .transportConfig(transportConfig)
                .executorConfig(executorConfig);
    }
}
