package io.fleetcast.simulators.fanout.load;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How every generator connection talks to the broker.
 *
 * @param version MQTT 3.1.1 or 5; sessions are always clean and anonymous
 * @param keepAliveSeconds sent in CONNECT; the generator pings every connection well within it
 * @param timeout bound on a TCP connect, on CONNACK and on SUBACK
 */
public record ClientOptions(
        InetSocketAddress broker, MqttVersion version, int keepAliveSeconds, Duration timeout, String clientIdPrefix) {

    public static ClientOptions of(InetSocketAddress broker, MqttVersion version, String clientIdPrefix) {
        return new ClientOptions(broker, version, 300, Duration.ofSeconds(20), clientIdPrefix);
    }

    public ClientOptions withClientIdPrefix(String prefix) {
        return new ClientOptions(broker, version, keepAliveSeconds, timeout, prefix);
    }
}
