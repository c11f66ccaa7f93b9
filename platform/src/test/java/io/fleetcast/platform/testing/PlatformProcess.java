package io.fleetcast.platform.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A platform node started as its own process from the packaged application ({@code quarkus-run.jar},
 * built in the package phase), as an operator runs it: Quarkus runs one application per JVM, so
 * tests that need several nodes run them this way. Identity (OIDC) is off and MQTT is anonymous, so
 * plain MQTT clients connect without credentials.
 */
public final class PlatformProcess {

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int mqttPort;
    private final Path log;

    private PlatformProcess(String name, Process process, int httpPort, int mqttPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.mqttPort = mqttPort;
        this.log = log;
    }

    /**
     * Starts a node and waits until it is ready.
     *
     * @param settings environment on top of the defaults, e.g. the database and cluster URLs
     */
    public static PlatformProcess start(String name, Path workDir, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("fleetcast.platform.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first (mvn verify)");
        }
        Files.createDirectories(workDir);
        int httpPort = NatsServerProcess.freePort();
        int mqttPort = NatsServerProcess.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-Xmx384m", "-jar", jar.toAbsolutePath().toString())
                .directory(workDir.toFile());
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(httpPort),
                "FLEETCAST_MQTT_PORT", String.valueOf(mqttPort),
                "FLEETCAST_MQTT_HOST", "127.0.0.1",
                "FLEETCAST_MQTT_INSTANCES", "2",
                "FLEETCAST_MQTT_ANONYMOUS", "true",
                "QUARKUS_OIDC_TENANT_ENABLED", "false",
                // Its fixed UDP ports would clash between nodes on one machine; MQTT is what is tested.
                "FLEETCAST_LWM2M_ENABLED", "false",
                "FLEETCAST_DATA_DIR", workDir.resolve("data").toString()));
        env.putAll(settings);
        builder.environment().putAll(env);
        Path log = workDir.resolve(name + ".log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        PlatformProcess node = new PlatformProcess(name, builder.start(), httpPort, mqttPort, log);
        node.awaitReady(Duration.ofSeconds(120));
        return node;
    }

    public String name() {
        return name;
    }

    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A GET on the node's HTTP port: status code and body. */
    public HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of a Prometheus sample, e.g. {@code fleetcast_cluster_routes}, or NaN when absent. */
    public double metric(String sample) {
        for (String line : get("/q/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ") || line.startsWith(sample + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** The process dies at once, as on a power cut or OOM kill: no goodbye to NATS or to clients. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A graceful stop (SIGTERM). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void awaitReady(Duration wait) {
        try {
            await().atMost(wait).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited before it was ready; see " + log);
                }
                try {
                    return get("/q/health/ready").statusCode() == 200;
                } catch (UncheckedIOException e) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " not ready after " + wait + "; see " + log, e);
        }
    }
}
