package io.fleetcast.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.SessionSnapshot;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void a_forwarded_message_keeps_qos_retain_expiry_properties_and_payload() {
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        properties.add(new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
        properties.add(new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "r/1"));
        properties.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), new byte[] {1, 2}));
        properties.add(new UserProperty("k", "v"));
        properties.add(new UserProperty("k", "w"));
        Message message = new Message("a/b", 2, true, bytes("hello"), properties, 123_456L, new Object());

        Frames.Forwarded read = Frames.readMessage("a/b", Frames.message(7, 42, message));

        assertThat(read.sender()).isEqualTo(7);
        assertThat(read.sequence()).isEqualTo(42);
        Message copy = read.message();
        assertThat(copy.qos()).isEqualTo(2);
        assertThat(copy.retain()).isTrue();
        assertThat(copy.expiresAtMillis()).isEqualTo(123_456L);
        assertThat(copy.payload()).isEqualTo(bytes("hello"));
        assertThat(copy.origin()).isNull();
        assertThat(copy.properties()
                        .getProperty(MqttPropertyType.CONTENT_TYPE.value())
                        .value())
                .isEqualTo("text/plain");
        assertThat((byte[]) copy.properties()
                        .getProperty(MqttPropertyType.CORRELATION_DATA.value())
                        .value())
                .containsExactly(1, 2);
        assertThat(copy.properties().getProperties(MqttPropertyType.USER_PROPERTY.value()))
                .hasSize(2);
    }

    @Test
    void a_session_snapshot_travels_whole() {
        SessionSnapshot snapshot = new SessionSnapshot(
                "tv-1",
                3600,
                List.of(
                        new SessionSnapshot.SubscriptionEntry("d/tv-1/c", SubscriptionOptions.of(1, true, false, 9)),
                        new SessionSnapshot.SubscriptionEntry("$share/g/x/+", SubscriptionOptions.QOS_0)),
                List.of(new SessionSnapshot.QueuedEntry(Message.of("d/tv-1/c", 1, false, bytes("cmd")), 1, false, 9)));

        SessionSnapshot copy = Frames.readSnapshot(Frames.snapshot(snapshot));

        assertThat(copy.clientId()).isEqualTo("tv-1");
        assertThat(copy.expirySeconds()).isEqualTo(3600);
        assertThat(copy.subscriptions()).isEqualTo(snapshot.subscriptions());
        assertThat(copy.queued()).hasSize(1);
        assertThat(copy.queued().get(0).message().payload()).isEqualTo(bytes("cmd"));
        assertThat(copy.queued().get(0).subscriptionId()).isEqualTo(9);
        assertThat(Frames.readSnapshot(Frames.snapshot(null))).isNull();
    }

    @Test
    void retained_batches_round_trip() {
        List<Message> batch = List.of(Message.of("a", 0, true, bytes("1")), Message.of("b/c", 1, true, bytes("2")));
        assertThat(Frames.readRetainedBatch(Frames.retainedBatch(batch)))
                .extracting(Message::topic)
                .containsExactly("a", "b/c");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
