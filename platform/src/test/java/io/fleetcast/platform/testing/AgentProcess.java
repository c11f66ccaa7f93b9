package io.fleetcast.platform.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The device agent's runnable jar, started as its own process, as a device would run it. */
public final class AgentProcess {

    private AgentProcess() {}

    /**
     * Starts the agent for a serial with the given {@code FLEETCAST_*} settings, reconnecting fast (200
     * ms to 1 s) so tests need not wait; its output goes to {@code target/agent-<serial>.log}.
     */
    public static Process start(String serial, Map<String, String> settings) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("fleetcast.agent.jar"));
        Map<String, String> env = new HashMap<>(Map.of(
                "FLEETCAST_DEVICE_SERIAL", serial,
                "FLEETCAST_RECONNECT_INITIAL_DELAY_MS", "200",
                "FLEETCAST_RECONNECT_MAX_DELAY_MS", "1000"));
        env.putAll(settings);
        builder.environment().putAll(env);
        Path log = Path.of("target", "agent-" + serial + ".log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return builder.start();
    }

    /** Sends SIGTERM and expects the agent to say goodbye and exit. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS))
                .as("agent stops on SIGTERM")
                .isTrue();
    }

    /** The device id of the serial, once the agent has provisioned it. */
    public static String awaitDeviceId(String serial, Duration wait) {
        return await().atMost(wait)
                .until(
                        () -> given().get("/api/v1/devices?serial=" + serial)
                                .then()
                                .extract()
                                .<String>path("items[0].id"),
                        id -> id != null);
    }
}
