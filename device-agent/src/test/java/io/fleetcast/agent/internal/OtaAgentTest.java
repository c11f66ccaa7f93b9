package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.FakeTransport.FakeConnection;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleSigner;
import io.fleetcast.ota.bundle.ContentDigest;
import io.fleetcast.ota.bundle.Keys;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.protocol.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent, on its real agent thread, against {@link FakeTransport} for MQTT and a real HTTP
 * server for the bundle: assignment on {@code d/<id>/o}, reports on {@code d/<id>/op}, "reboot", and
 * the commit after the next connect.
 */
class OtaAgentTest {

    @TempDir
    Path stateDir;

    private final KeyPair key = Keys.generate();
    private final AtomicInteger reboots = new AtomicInteger();
    private HttpServer http;
    private byte[] bundle;
    private byte[] image;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(DirectorySlotManager.imageOf(stateDir, "a").getParent());
        Files.write(DirectorySlotManager.imageOf(stateDir, "a"), new byte[1000]);
        image = new byte[300_000];
        new Random(5).nextBytes(image);
        BundleSigner signer = new BundleSigner(key.getPrivate(), key.getPublic());
        Manifest manifest = Manifest.builder()
                .version("4.3.0")
                .hardwareModels(List.of("tv-55"))
                .antiRollback(1)
                .fullImage(ContentDigest.of(image))
                .createdAt(Instant.now())
                .expiresAt(Instant.now().plus(Duration.ofDays(30)))
                .keyId(signer.keyId())
                .build();
        byte[] header = BundleHeader.sign(manifest, signer).encode();
        bundle = new byte[header.length + image.length];
        System.arraycopy(header, 0, bundle, 0, header.length);
        System.arraycopy(image, 0, bundle, header.length, image.length);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/b.fcota", exchange -> {
            exchange.sendResponseHeaders(200, bundle.length);
            exchange.getResponseBody().write(bundle);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
    }

    private final class RunningAgent implements AutoCloseable {
        final FakeTransport platform = new FakeTransport();
        final ExecutorScheduler scheduler = new ExecutorScheduler("fleetcast-agent-test");
        final DefaultDeviceAgent agent;
        FakeConnection device;

        RunningAgent() throws Exception {
            Path publicKey = Files.writeString(stateDir.resolve("ota.pub.pem"), Keys.toPem(key.getPublic()));
            AgentConfig config = AgentConfig.builder()
                    .serverUri("tcp://platform:1883")
                    .serial("SN-1")
                    .firmwareVersion("4.2.0")
                    .stateDir(stateDir)
                    .hardwareModel("tv-55")
                    .otaTrustedKeys(List.of(publicKey))
                    .rebootHook(reboots::incrementAndGet)
                    .build();
            InMemoryCredentialStore store = new InMemoryCredentialStore();
            store.save(new DeviceIdentity("dev-1", "secret"));
            agent = new DefaultDeviceAgent(config, new RecordingListener(), store, platform, scheduler, new Random(1));
            agent.start();
            awaitOnAgentThread(() -> !platform.connections.isEmpty());
            device = onAgentThread(platform::last);
            onAgentThread(() -> {
                device.accept();
                return null;
            });
        }

        <T> T onAgentThread(Supplier<T> work) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            scheduler.execute(() -> result.complete(work.get()));
            return result.get(30, TimeUnit.SECONDS);
        }

        List<OtaReport> reports() throws Exception {
            return onAgentThread(() -> device.publishedTo(Topics.otaReport("dev-1")).stream()
                    .map(m -> Json.decode(m.payload(), OtaReport.class))
                    .toList());
        }

        /** Waits until {@code condition}, read on the agent thread like everything the fake device holds. */
        void awaitOnAgentThread(Supplier<Boolean> condition) {
            await().atMost(Duration.ofSeconds(60)).until(() -> onAgentThread(condition));
        }

        @Override
        public void close() {
            agent.close();
        }
    }

    @Test
    void installs_an_assigned_bundle_reboots_and_reports_success_after_the_next_connect() throws Exception {
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/b.fcota";
        try (RunningAgent running = new RunningAgent()) {
            assertThat(running.onAgentThread(() -> running.device.subscriptions))
                    .contains("d/dev-1/o");
            OtaAssignment assignment = new OtaAssignment(
                    "act-9", false, "4.3.0", url, (long) bundle.length, false, null, OtaMode.FORCED, false, null, null);
            running.onAgentThread(() -> {
                running.device.deliver(Topics.ota("dev-1"), Json.encode(assignment));
                return null;
            });
            running.awaitOnAgentThread(() -> reboots.get() == 1);
            assertThat(running.reports().stream().map(OtaReport::state).distinct())
                    .containsExactly(
                            OtaState.DOWNLOADING, OtaState.DOWNLOADED, OtaState.INSTALLING, OtaState.REBOOTING);
        }
        assertThat(Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, "b")))
                .isEqualTo(image);

        try (RunningAgent restarted = new RunningAgent()) {
            restarted.awaitOnAgentThread(() ->
                    !restarted.device.publishedTo(Topics.otaReport("dev-1")).isEmpty());
            assertThat(restarted.reports())
                    .containsExactly(new OtaReport("act-9", OtaState.SUCCEEDED, null, null, "4.3.0", null, null));
            ReportedState state = restarted.onAgentThread(() -> Json.decode(
                    restarted.device.publishedTo(Topics.state("dev-1")).get(0).payload(), ReportedState.class));
            assertThat(state.firmwareVersion()).isEqualTo("4.3.0");
            assertThat(state.activeSlot()).isEqualTo("b");
        }
    }
}
