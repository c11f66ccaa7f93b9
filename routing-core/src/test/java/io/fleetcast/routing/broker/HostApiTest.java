package io.fleetcast.routing.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the host does to clients directly: send to one, disconnect one, shut down. */
class HostApiTest {

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void sends_to_one_client_whether_or_not_it_subscribed() throws Exception {
        Paho5 device = fixture.v5("device");
        device.connect(true, 0);
        Paho5 other = fixture.v5("other");
        other.connect(true, 0);
        other.subscribe("#", 1);

        assertThat(fixture.broker().sendTo("device", Message.of("d/device/c", 1, false, bytes("reboot"))))
                .isTrue();
        Delivery command = device.next();
        assertThat(command.text()).isEqualTo("d/device/c:reboot");
        assertThat(command.qos()).isEqualTo(1);
        other.expectNothing(Duration.ofMillis(300));

        fixture.broker().client("device").send(Message.of("d/device/r", 0, false, bytes("answer")));
        assertThat(device.next().text()).isEqualTo("d/device/r:answer");
        assertThat(fixture.broker().sendTo("nobody", Message.of("x", 1, false, bytes("x"))))
                .isFalse();
    }

    @Test
    void keeps_what_it_sends_to_an_offline_persistent_session() throws Exception {
        Paho3 device = fixture.v3("device");
        device.connect(false);
        device.disconnect();
        device.close();
        assertThat(fixture.broker().sendTo("device", Message.of("d/device/c", 1, false, bytes("later"))))
                .isTrue();
        Paho3 back = fixture.v3("device");
        back.connect(false);
        assertThat(back.next().text()).isEqualTo("d/device/c:later");
    }

    @Test
    void disconnects_a_client_with_a_reason_code() throws Exception {
        Paho5 device = fixture.v5("device");
        device.connect(true, 0);
        fixture.broker().client("device").disconnect(0x98, "administrative_action");
        assertThat(device.awaitDisconnectedBy()).as("Administrative action").isEqualTo(0x98);
        Await.until("closed", () -> fixture.broker().connectionCount() == 0);
    }

    @Test
    void tells_every_client_the_server_shuts_down() throws Exception {
        Paho5 first = fixture.v5("first");
        first.connect(true, 0);
        Paho5 second = fixture.v5("second");
        second.connect(true, 0);
        fixture.broker().shutdown();
        assertThat(first.awaitDisconnectedBy()).as("Server shutting down").isEqualTo(0x8B);
        assertThat(second.awaitDisconnectedBy()).isEqualTo(0x8B);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
