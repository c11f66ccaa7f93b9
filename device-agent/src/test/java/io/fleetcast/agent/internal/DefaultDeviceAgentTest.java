package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.FakeTransport.FakeConnection;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The agent's lifecycle against {@link FakeTransport}, which plays the platform's side of the wire
 * contract, on a {@link ManualScheduler}.
 */
class DefaultDeviceAgentTest {

    private static final Duration INITIAL_DELAY = Duration.ofMillis(1000);
    private static final Duration MAX_DELAY = Duration.ofMillis(60_000);

    private final FakeTransport platform = new FakeTransport();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingListener listener = new RecordingListener();
    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final AgentConfig config = AgentConfig.builder()
            .serverUri("tcp://platform:1883")
            .claimToken("claim-1.s3cret")
            .serial("SN-0001")
            .firmwareVersion("4.2.0")
            .capabilities(List.of("4k"))
            .stateDir(Path.of("unused"))
            .reconnectInitialDelay(INITIAL_DELAY)
            .reconnectMaxDelay(MAX_DELAY)
            .build();
    private final DefaultDeviceAgent agent =
            new DefaultDeviceAgent(config, listener, store, platform, scheduler, new Random(11));

    @Test
    void provisions_with_the_claim_then_connects_as_the_device() {
        agent.start();
        FakeConnection claim = platform.last();
        claim.accept();

        assertThat(claim.settings.clientId()).isEqualTo("prov-SN-0001");
        assertThat(claim.settings.username()).isEqualTo("$claim");
        assertThat(claim.settings.password()).isEqualTo("claim-1.s3cret");
        assertThat(claim.subscriptions).containsExactly(Topics.PROVISION_RESPONSE);
        ProvisionRequest request = provisionRequest(claim);
        assertThat(request.serial()).isEqualTo("SN-0001");
        assertThat(request.firmwareVersion()).isEqualTo("4.2.0");
        assertThat(request.isValid()).isTrue();

        respond(claim, ProvisionResponse.success(request.requestId(), "dev-1", "c-secret"));

        assertThat(store.load()).contains(new DeviceIdentity("dev-1", "c-secret"));
        assertThat(claim.disconnected).as("claim connection ended cleanly").isTrue();
        assertThat(agent.deviceId()).contains("dev-1");
        FakeConnection device = platform.last();
        assertThat(device.settings.clientId()).isEqualTo("dev-1");
        assertThat(device.settings.username()).isEqualTo("dev-1");
        assertThat(device.settings.password()).isEqualTo("c-secret");

        device.accept();

        assertThat(agent.isConnected()).isTrue();
        assertThat(device.publishedTo("d/dev-1/s"))
                .singleElement()
                .extracting(m -> Json.decode(m.payload(), ReportedState.class))
                .isEqualTo(config.initialState());
        assertThat(listener.events).containsExactly("provisioned dev-1", "connected dev-1");
    }

    @Test
    void ignores_a_provision_response_to_another_request() {
        agent.start();
        FakeConnection claim = platform.last();
        claim.accept();

        respond(claim, ProvisionResponse.success("someone-else", "dev-9", "not-ours"));

        assertThat(store.load()).isEmpty();
        assertThat(platform.connections).hasSize(1);
    }

    @Test
    void connects_with_the_stored_credential_without_provisioning() {
        store.save(new DeviceIdentity("dev-1", "c-secret"));

        agent.start();

        assertThat(agent.deviceId()).contains("dev-1");
        assertThat(platform.connections).singleElement().satisfies(c -> assertThat(c.settings.clientId())
                .isEqualTo("dev-1"));
    }

    @Test
    void refuses_to_start_without_credential_or_claim_token() {
        AgentConfig noClaim = AgentConfig.builder()
                .serverUri("tcp://platform:1883")
                .serial("SN-0001")
                .firmwareVersion("4.2.0")
                .stateDir(Path.of("/var/lib/fleetcast"))
                .build();
        DefaultDeviceAgent unprovisionable =
                new DefaultDeviceAgent(noClaim, listener, store, platform, scheduler, new Random(1));

        assertThatThrownBy(unprovisionable::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FLEETCAST_CLAIM_TOKEN");
    }

    @Test
    void retries_permanent_claim_errors_only_at_the_maximum_delay() {
        agent.start();
        FakeConnection claim = platform.last();
        claim.accept();

        respond(
                claim,
                ProvisionResponse.failure(
                        provisionRequest(claim).requestId(), ProvisionError.CLAIM_EXPIRED, "expired"));

        assertThat(listener.events).containsExactly("rejected CLAIM_EXPIRED");
        assertThatIsAtMaximum(scheduler.lastDelay());
        scheduler.runNextTimer();
        assertThat(platform.connections)
                .as("keeps trying: an operator may fix the claim")
                .hasSize(2);
    }

    @Test
    void retries_unavailable_with_normal_backoff() {
        agent.start();
        FakeConnection claim = platform.last();
        claim.accept();

        respond(
                claim,
                ProvisionResponse.failure(provisionRequest(claim).requestId(), ProvisionError.UNAVAILABLE, null));

        assertThat(scheduler.lastDelay()).isBetween(INITIAL_DELAY.dividedBy(2), INITIAL_DELAY);
    }

    @Test
    void retries_at_the_maximum_delay_when_the_claim_connection_is_refused() {
        agent.start();

        platform.last().refuse(ReasonCodes.NOT_AUTHORIZED);

        assertThat(listener.events).containsExactly("refused 0x87 not authorized");
        assertThatIsAtMaximum(scheduler.lastDelay());
    }

    @Test
    void gives_up_waiting_for_a_provision_response_after_the_timeout() {
        agent.start();
        FakeConnection claim = platform.last();
        claim.accept();

        scheduler.runNextTimer();

        assertThat(claim.disconnected).isTrue();
        assertThat(scheduler.lastDelay()).isBetween(INITIAL_DELAY.dividedBy(2), INITIAL_DELAY);
        scheduler.runNextTimer();
        assertThat(platform.connections).hasSize(2);
    }

    @Test
    void backs_off_to_the_maximum_delay_when_the_device_connection_is_refused() {
        store.save(new DeviceIdentity("dev-1", "wrong"));
        agent.start();

        platform.last().refuse(0x86);

        assertThat(listener.events).containsExactly("refused 0x86 bad user name or password");
        assertThat(platform.last().closed).isTrue();
        assertThatIsAtMaximum(scheduler.lastDelay());
        scheduler.runNextTimer();
        assertThat(platform.connections).hasSize(2);
    }

    @Test
    void reconnects_at_the_maximum_delay_after_a_session_take_over() {
        FakeConnection device = connectedDevice();

        device.disconnectByServer(ReasonCodes.SESSION_TAKEN_OVER);

        assertThat(agent.isConnected()).isFalse();
        assertThat(listener.events)
                .containsExactly("connected dev-1", "disconnected server sent DISCONNECT 0x8E session taken over");
        assertThatIsAtMaximum(scheduler.lastDelay());
    }

    @Test
    void backoff_grows_while_connections_drop_at_once_and_resets_after_one_stayed_up() {
        FakeConnection device = connectedDevice();
        device.drop();
        assertThat(scheduler.lastDelay()).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        scheduler.runNextTimer();
        platform.last().accept();
        platform.last().drop();
        assertThat(scheduler.lastDelay()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
        scheduler.runNextTimer();
        platform.last().accept();

        scheduler.elapse(MAX_DELAY);
        platform.last().disconnectByServer(0x8B);

        assertThat(scheduler.lastDelay()).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void republishes_the_state_after_a_reconnect_and_changes_only_when_they_differ() {
        FakeConnection first = connectedDevice();
        ReportedState changed = new ReportedState("4.3.0", "b", List.of(), List.of("4k"));

        agent.reportState(changed);
        agent.reportState(changed);
        first.drop();
        scheduler.runNextTimer();
        FakeConnection second = platform.last();
        second.accept();

        assertThat(first.publishedTo("d/dev-1/s")).hasSize(2);
        assertThat(second.publishedTo("d/dev-1/s"))
                .singleElement()
                .extracting(m -> Json.decode(m.payload(), ReportedState.class))
                .isEqualTo(changed);
    }

    @Test
    void rejects_an_invalid_state_report() {
        assertThatThrownBy(() -> agent.reportState(new ReportedState("not a version", "a", null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("firmwareVersion");
    }

    @Test
    void close_sends_a_clean_disconnect_and_stops_retrying() {
        FakeConnection device = connectedDevice();

        agent.close();
        agent.close();

        assertThat(device.disconnected).isTrue();
        assertThat(device.closed).isTrue();
        assertThat(agent.isConnected()).isFalse();
        assertThat(scheduler.pendingTimers()).isZero();
        assertThat(listener.events).containsExactly("connected dev-1", "disconnected closed by the application");
        assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void close_during_a_backoff_cancels_the_retry() {
        FakeConnection device = connectedDevice();
        device.drop();

        agent.close();

        assertThat(scheduler.pendingTimers()).isZero();
        assertThat(platform.connections).hasSize(1);
    }

    private FakeConnection connectedDevice() {
        store.save(new DeviceIdentity("dev-1", "c-secret"));
        agent.start();
        FakeConnection device = platform.last();
        device.accept();
        return device;
    }

    private static ProvisionRequest provisionRequest(FakeConnection claim) {
        return claim.publishedTo(Topics.PROVISION_REQUEST).stream()
                .map(m -> Json.decode(m.payload(), ProvisionRequest.class))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no provisioning request published"));
    }

    private static void respond(FakeConnection claim, ProvisionResponse response) {
        claim.deliver(Topics.PROVISION_RESPONSE, Json.encode(response));
    }

    private static void assertThatIsAtMaximum(Duration delay) {
        assertThat(delay).isBetween(MAX_DELAY.dividedBy(2), MAX_DELAY);
    }
}
