package io.fleetcast.platform.testing;

import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Real MQTT 5 clients (Eclipse Paho) talking to the gateway over a socket. */
public final class MqttDevices {

    private MqttDevices() {}

    public static String uri() {
        int port = ConfigProvider.getConfig().getValue("fleetcast.mqtt.port", Integer.class);
        return "tcp://127.0.0.1:" + port;
    }

    /** A device id and the credential it got. */
    public record Identity(String deviceId, String credential) {}

    /** Provisions a device with a claim token, as the agent does, and returns the platform's answer. */
    public static ProvisionResponse provision(String claimToken, String serial) throws Exception {
        return provision(claimToken, serial, UUID.randomUUID().toString());
    }

    /** Provisions with a chosen request id, as an agent does when it retries. */
    public static ProvisionResponse provision(String claimToken, String serial, String requestId) throws Exception {
        return provision(claimToken, Json.encode(new ProvisionRequest(requestId, serial, "1.0.0")));
    }

    public static ProvisionResponse provision(String claimToken, byte[] requestPayload) throws Exception {
        MqttAsyncClient client = claimClient(claimToken, "sn-" + UUID.randomUUID());
        try {
            CompletableFuture<ProvisionResponse> answer = new CompletableFuture<>();
            client.setCallback(new Callback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    answer.complete(Json.decode(message.getPayload(), ProvisionResponse.class));
                }
            });
            client.subscribe(Topics.PROVISION_RESPONSE, 1).waitForCompletion(10_000);
            client.publish(Topics.PROVISION_REQUEST, requestPayload, 1, false).waitForCompletion(10_000);
            return answer.get(10, TimeUnit.SECONDS);
        } finally {
            close(client);
        }
    }

    /** Connects with a claim token; throws the CONNACK refusal as an MqttException. */
    public static MqttAsyncClient claimClient(String claimToken, String serial) throws MqttException {
        MqttAsyncClient client =
                new MqttAsyncClient(uri(), Credentials.CLAIM_CLIENT_PREFIX + serial, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(Credentials.CLAIM_USERNAME);
        options.setPassword(claimToken.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    public static Identity provisioned(String claimToken, String serial) throws Exception {
        ProvisionResponse response = provision(claimToken, serial);
        if (!response.isSuccess()) {
            throw new AssertionError("provisioning failed: " + response.error() + " " + response.message());
        }
        return new Identity(response.deviceId(), response.credential());
    }

    /** Connects as a device; throws the CONNACK refusal as an MqttException. */
    public static MqttAsyncClient connect(Identity identity) throws MqttException {
        return connect(identity.deviceId(), identity.deviceId(), identity.credential(), new Callback());
    }

    public static MqttAsyncClient connect(String clientId, String username, String password, MqttCallback callback)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri(), clientId, new MemoryPersistence());
        client.setCallback(callback);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(username);
        options.setPassword(password == null ? null : password.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    /** Publishes at QoS 1 and returns the PUBACK reason code (0 = success). */
    public static int publishQos1(MqttAsyncClient client, String topic, byte[] payload) throws MqttException {
        try {
            IMqttToken token = client.publish(topic, payload, 1, false);
            token.waitForCompletion(10_000);
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Subscribes and returns the SUBACK reason code of the one filter. */
    public static int subscribe(MqttAsyncClient client, String filter, int qos) throws MqttException {
        IMqttToken token = client.subscribe(filter, qos);
        token.waitForCompletion(10_000);
        return token.getReasonCodes()[0];
    }

    /** Disconnects cleanly if still connected, then releases the client. */
    public static void close(MqttAsyncClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(10_000);
        }
        client.close();
    }

    /** A callback that records how the server disconnected us. */
    public static class Callback implements MqttCallback {
        public final CompletableFuture<Integer> disconnectReason = new CompletableFuture<>();

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnectReason.complete(response.getReturnCode());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
