package io.fleetcast.platform.gateway.mqtt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.MqttDevices.Callback;
import io.fleetcast.platform.testing.MqttDevices.Identity;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class MqttGatewayTest {

    private static final Duration PRESENCE = Duration.ofSeconds(10);

    private String claim;

    @BeforeEach
    void claim() {
        claim = Api.createClaim(Api.createModel(Api.unique("tv")), 100);
    }

    @Test
    void records_presence_and_reported_state() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttAsyncClient device = MqttDevices.connect(identity);
        ReportedState state = new ReportedState(
                "2.1.0", "b", List.of(new io.fleetcast.protocol.InstalledApp("shop", "1.4")), List.of("4k"));

        assertThat(MqttDevices.publishQos1(device, Topics.state(identity.deviceId()), Json.encode(state)))
                .isZero();

        await().atMost(PRESENCE).untilAsserted(() -> Api.device(identity.deviceId())
                .body("online", equalTo(true))
                .body("firmwareVersion", equalTo("2.1.0"))
                .body("activeSlot", equalTo("b"))
                .body("reported.apps[0].id", equalTo("shop"))
                .body("reported.capabilities[0]", equalTo("4k")));

        MqttDevices.close(device);
        await().atMost(PRESENCE).untilAsserted(() -> Api.device(identity.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CLIENT_DISCONNECT")));
    }

    @Test
    void records_a_lost_connection() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        try (Socket socket = rawConnect(identity)) {
            await().atMost(PRESENCE)
                    .untilAsserted(() -> Api.device(identity.deviceId()).body("online", equalTo(true)));
        }
        await().atMost(PRESENCE).untilAsserted(() -> Api.device(identity.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CONNECTION_LOST")));
    }

    @Test
    void refuses_a_wrong_credential_over_mqtt5_and_mqtt311() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));

        assertThatThrownBy(() -> MqttDevices.connect(identity.deviceId(), identity.deviceId(), "wrong", new Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() -> connectV3(identity.deviceId(), "wrong"))
                .isInstanceOfSatisfying(org.eclipse.paho.client.mqttv3.MqttException.class, e -> assertThat(
                                e.getReasonCode())
                        .isEqualTo(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        assertThatThrownBy(() -> MqttDevices.connect("not-a-device", "not-a-device", "x", new Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    }

    @Test
    void refuses_a_client_id_that_is_not_the_device() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        Identity other = MqttDevices.provisioned(claim, Api.unique("SN"));

        // The other device's id as client id, with this device's user name: identifier not valid.
        assertThatThrownBy(() -> MqttDevices.connect(
                        other.deviceId(), identity.deviceId(), identity.credential(), new Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x85));
        // The other device's id with this device's credential: the credential does not match.
        assertThatThrownBy(() ->
                        MqttDevices.connect(other.deviceId(), other.deviceId(), identity.credential(), new Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    }

    @Test
    void disabling_a_device_cuts_it_off_and_refuses_reconnects() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        Callback callback = new Callback();
        MqttAsyncClient device =
                MqttDevices.connect(identity.deviceId(), identity.deviceId(), identity.credential(), callback);

        given().post("/api/v1/devices/" + identity.deviceId() + "/disable")
                .then()
                .statusCode(200)
                .body("status", equalTo("DISABLED"));

        assertThat(callback.disconnectReason.get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        assertThatThrownBy(() -> MqttDevices.connect(identity))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
        await().atMost(PRESENCE).untilAsserted(() -> Api.device(identity.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("DISABLED")));

        given().post("/api/v1/devices/" + identity.deviceId() + "/enable")
                .then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"));
        MqttDevices.close(MqttDevices.connect(identity));
        device.close();
    }

    @Test
    void a_second_connection_takes_the_session_over() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        Callback first = new Callback();
        MqttAsyncClient old =
                MqttDevices.connect(identity.deviceId(), identity.deviceId(), identity.credential(), first);

        MqttAsyncClient current = MqttDevices.connect(identity);

        assertThat(first.disconnectReason.get(10, TimeUnit.SECONDS)).isEqualTo(0x8E);
        assertThat(current.isConnected()).isTrue();
        // The old session's close must not mark the device offline.
        await().during(Duration.ofMillis(600)).atMost(PRESENCE).untilAsserted(() -> Api.device(identity.deviceId())
                .body("online", equalTo(true)));
        MqttDevices.close(current);
        old.close();
    }

    @Test
    void refuses_publishing_outside_the_device_prefix() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        Identity victim = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttAsyncClient device = MqttDevices.connect(identity);

        assertThat(MqttDevices.publishQos1(device, Topics.state(victim.deviceId()), Json.encode(validState())))
                .isEqualTo(0x87);
        assertThat(MqttDevices.publishQos1(device, "b/acme/t", "x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(0x87);
        // MQTT 5 refuses per message: the connection stays usable.
        assertThat(MqttDevices.publishQos1(
                        device, Topics.telemetry(identity.deviceId()), "{}".getBytes(StandardCharsets.UTF_8)))
                .isZero();
        MqttDevices.close(device);

        MqttClient v3 = connectV3(identity.deviceId(), identity.credential());
        assertThatThrownBy(() -> v3.publish(Topics.state(victim.deviceId()), validStateBytes(), 1, false))
                .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !v3.isConnected());
        v3.close();
        Api.device(victim.deviceId()).body("reported", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void refuses_subscriptions_outside_the_device_prefix_and_tenant_broadcasts() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttAsyncClient device = MqttDevices.connect(identity);

        assertThat(MqttDevices.subscribe(device, Topics.commands(identity.deviceId()), 1))
                .isEqualTo(1);
        assertThat(MqttDevices.subscribe(device, "b/acme/#", 0)).isEqualTo(0);
        assertThat(MqttDevices.subscribe(device, "d/+/c", 1)).isEqualTo(0x87);
        assertThat(MqttDevices.subscribe(device, "#", 1)).isEqualTo(0x87);
        assertThat(MqttDevices.subscribe(device, "b/globex/#", 1)).isEqualTo(0x87);
        assertThat(MqttDevices.subscribe(device, "$SYS/#", 1)).isEqualTo(0x87);
        MqttDevices.close(device);

        MqttClient v3 = connectV3(identity.deviceId(), identity.credential());
        int[] granted = v3.subscribeWithResponse(
                        new String[] {"#", Topics.commands(identity.deviceId())}, new int[] {1, 1})
                .getGrantedQos();
        assertThat(granted).containsExactly(0x80, 1);
        v3.disconnect();
        v3.close();
    }

    @Test
    void refuses_an_invalid_state_report_and_keeps_the_previous_state() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttAsyncClient device = MqttDevices.connect(identity);
        String topic = Topics.state(identity.deviceId());
        assertThat(MqttDevices.publishQos1(device, topic, validStateBytes())).isZero();

        assertThat(MqttDevices.publishQos1(device, topic, "{not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(0x99);
        assertThat(MqttDevices.publishQos1(device, topic, "{\"activeSlot\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(0x99);
        assertThat(MqttDevices.publishQos1(device, topic, Json.encode(new ReportedState("1 0", "a", null, null))))
                .isEqualTo(0x99);

        await().atMost(PRESENCE)
                .untilAsserted(() -> Api.device(identity.deviceId()).body("firmwareVersion", equalTo("3.0.0")));
        MqttDevices.close(device);
    }

    @Test
    void disconnects_a_client_that_sends_an_oversized_packet_and_keeps_serving_others() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        Identity bystander = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttAsyncClient other = MqttDevices.connect(bystander);
        Callback callback = new Callback();
        MqttAsyncClient device =
                MqttDevices.connect(identity.deviceId(), identity.deviceId(), identity.credential(), callback);

        device.publish(Topics.telemetry(identity.deviceId()), new byte[200_000], 0, false);

        assertThat(callback.disconnectReason.get(10, TimeUnit.SECONDS)).isEqualTo(0x95);
        assertThat(MqttDevices.publishQos1(other, Topics.state(bystander.deviceId()), validStateBytes()))
                .isZero();
        MqttDevices.close(other);
        device.close();
    }

    @Test
    void closes_a_connection_that_sends_a_malformed_packet() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        try (Socket socket = rawConnect(identity)) {
            // Packet type 0 is reserved: the decoder fails and the connection is closed.
            socket.getOutputStream().write(new byte[] {0x00, 0x02, 0x01, 0x02});
            socket.getOutputStream().flush();
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
        await().atMost(PRESENCE).untilAsserted(() -> Api.device(identity.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("PROTOCOL_ERROR")));
    }

    @Test
    void closes_a_connection_that_sends_garbage_instead_of_connect() throws Exception {
        int port = ConfigProvider.getConfig().getValue("fleetcast.mqtt.port", Integer.class);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Closed at the latest when the connect timeout (2 s in tests) runs out.
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
        // Everyone else is still served.
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        MqttDevices.close(MqttDevices.connect(identity));
    }

    @Test
    void refuses_a_publish_topic_with_wildcards() throws Exception {
        Identity identity = MqttDevices.provisioned(claim, Api.unique("SN"));
        try (Socket socket = rawConnect(identity)) {
            byte[] topic = ("d/" + identity.deviceId() + "/+").getBytes(StandardCharsets.UTF_8);
            byte[] publish = new byte[2 + 2 + topic.length];
            publish[0] = 0x30; // PUBLISH, QoS 0
            publish[1] = (byte) (2 + topic.length);
            publish[2] = (byte) (topic.length >> 8);
            publish[3] = (byte) topic.length;
            System.arraycopy(topic, 0, publish, 4, topic.length);
            socket.getOutputStream().write(publish);
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
    }

    private static ReportedState validState() {
        return new ReportedState("3.0.0", "a", List.of(), List.of());
    }

    private static byte[] validStateBytes() {
        return Json.encode(validState());
    }

    private static MqttClient connectV3(String deviceId, String credential)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        MqttClient client = new MqttClient(MqttDevices.uri(), deviceId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(deviceId);
        options.setPassword(credential.toCharArray());
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }

    /** An MQTT 3.1.1 connection written byte by byte, for what a well-behaved client never sends. */
    private static Socket rawConnect(Identity identity) throws IOException {
        int port = ConfigProvider.getConfig().getValue("fleetcast.mqtt.port", Integer.class);
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        byte[] clientId = identity.deviceId().getBytes(StandardCharsets.UTF_8);
        byte[] password = identity.credential().getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60}); // user+password+clean
        writeString(body, clientId);
        writeString(body, clientId);
        writeString(body, password);
        OutputStream out = socket.getOutputStream();
        out.write(0x10);
        for (int length = body.size(); ; ) { // MQTT variable-length integer
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
            if (length == 0) {
                break;
            }
        }
        body.writeTo(out);
        out.flush();
        byte[] connack = socket.getInputStream().readNBytes(4);
        assertThat(connack[3]).as("CONNACK return code").isZero();
        return socket;
    }

    private static void writeString(java.io.ByteArrayOutputStream out, byte[] value) {
        out.write(value.length >> 8);
        out.write(value.length & 0xff);
        out.writeBytes(value);
    }

    private static boolean readUntilClosed(InputStream in) throws IOException {
        while (true) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (java.net.SocketException reset) {
                return true;
            }
        }
    }
}
