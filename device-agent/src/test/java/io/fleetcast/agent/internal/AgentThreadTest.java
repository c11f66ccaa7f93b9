package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.internal.FakeTransport.FakeConnection;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The threading contract, on the real agent thread: client callbacks come from elsewhere, listeners run there. */
class AgentThreadTest {

    private final AgentConfig config = AgentConfig.builder()
            .serverUri("tcp://platform:1883")
            .serial("SN-0001")
            .firmwareVersion("4.2.0")
            .stateDir(Path.of("unused"))
            .build();

    @Test
    void calls_the_listener_on_the_agent_thread_and_close_waits_for_the_disconnect() throws Exception {
        BlockingQueue<FakeConnection> opened = new LinkedBlockingQueue<>();
        Transport transport = (settings, events) -> {
            FakeConnection connection = new FakeConnection(settings, events);
            opened.add(connection);
            return connection;
        };
        CompletableFuture<String> connectedOn = new CompletableFuture<>();
        AgentListener listener = new AgentListener() {
            @Override
            public void connected(String deviceId) {
                connectedOn.complete(Thread.currentThread().getName());
            }
        };
        DefaultDeviceAgent agent = new DefaultDeviceAgent(
                config,
                listener,
                new InMemoryCredentialStore(new DeviceIdentity("dev-1", "c-secret")),
                transport,
                new ExecutorScheduler("fleetcast-agent"),
                new Random());
        FakeConnection device;
        try (agent) {
            agent.start();
            device = opened.poll(5, TimeUnit.SECONDS);
            assertThat(device).as("the agent connects").isNotNull();

            device.accept(); // from the test thread, as Paho calls back from its own threads

            assertThat(connectedOn.get(5, TimeUnit.SECONDS)).isEqualTo("fleetcast-agent");
            assertThat(agent.isConnected()).isTrue();
        }
        assertThat(device.disconnected).isTrue();
        assertThat(agent.isConnected()).isFalse();
    }
}
