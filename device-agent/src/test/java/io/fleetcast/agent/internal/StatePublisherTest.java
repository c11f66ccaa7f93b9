package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.internal.FakeTransport.FakeConnection;
import io.fleetcast.protocol.InstalledApp;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatePublisherTest {

    private static final ReportedState INITIAL = new ReportedState("4.2.0", "a", List.of(), List.of("4k"));
    private static final String TOPIC = "d/dev-1/s";

    private final StatePublisher publisher = new StatePublisher(INITIAL);

    @Test
    void publishes_state_only_when_changed() {
        FakeConnection connection = newConnection();
        publisher.attach(connection, "dev-1");
        ReportedState withApp =
                new ReportedState("4.2.0", "a", List.of(new InstalledApp("netflix", "5.1")), List.of("4k"));

        boolean sameAgain = publisher.update(new ReportedState("4.2.0", "a", List.of(), List.of("4k")));
        boolean changed = publisher.update(withApp);
        boolean changedAgain = publisher.update(withApp);

        assertThat(sameAgain).isFalse();
        assertThat(changed).isTrue();
        assertThat(changedAgain).isFalse();
        assertThat(connection.publishedTo(TOPIC))
                .extracting(m -> Json.decode(m.payload(), ReportedState.class))
                .containsExactly(INITIAL, withApp);
    }

    @Test
    void publishes_the_full_state_at_qos_1_on_every_connect() {
        FakeConnection first = newConnection();
        publisher.attach(first, "dev-1");
        publisher.detach();
        ReportedState updatedOffline = new ReportedState("4.3.0", "b", List.of(), List.of("4k"));
        publisher.update(updatedOffline);
        FakeConnection second = newConnection();
        publisher.attach(second, "dev-1");

        assertThat(first.published).hasSize(1);
        assertThat(second.publishedTo(TOPIC)).singleElement().satisfies(message -> {
            assertThat(message.qos()).isEqualTo(1);
            assertThat(Json.decode(message.payload(), ReportedState.class)).isEqualTo(updatedOffline);
        });
    }

    @Test
    void survives_a_rejected_report() {
        FakeConnection connection = newConnection();
        connection.publishAckCode = ReasonCodes.PAYLOAD_FORMAT_INVALID;

        publisher.attach(connection, "dev-1");

        assertThat(publisher.state()).isEqualTo(INITIAL);
        assertThat(connection.published).hasSize(1);
    }

    private static FakeConnection newConnection() {
        return new FakeConnection(
                new ConnectSettings("tcp://localhost:1883", "dev-1", "dev-1", "c", Duration.ofSeconds(60), null), null);
    }
}
