package io.fleetcast.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * One real Keycloak for the whole test run, started from its Maven Central distribution (unpacked
 * into {@code target/keycloak} by the build) with the realm kept in the repository plus a second realm
 * that issues tokens of the wrong issuer. No Docker.
 */
public final class Keycloak {

    private static Keycloak instance;

    private final Process process;
    private final int port;

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Keycloak on the first call; later calls return the running one. */
    public static synchronized Keycloak shared() {
        if (instance == null) {
            instance = start();
            Process process = instance.process;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                process.destroy();
                                process.onExit()
                                        .completeOnTimeout(process, 20, java.util.concurrent.TimeUnit.SECONDS)
                                        .join();
                            },
                            "keycloak-stop"));
        }
        return instance;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String realmUrl(String realm) {
        return url() + "/realms/" + realm;
    }

    private static Keycloak start() {
        try {
            Path home = distribution();
            Path imports = home.resolve("data").resolve("import");
            Files.createDirectories(imports);
            Path repo = Path.of("..", "keycloak");
            Files.copy(
                    repo.resolve("fleetcast-realm.json"),
                    imports.resolve("fleetcast-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(
                    repo.resolve("test").resolve("elsewhere-realm.json"),
                    imports.resolve("elsewhere-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            int port = FleetcastTestResource.freePort();
            int managementPort = FleetcastTestResource.freePort();
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    home.resolve("bin").resolve("kc.sh").toString(),
                    "start-dev",
                    // In memory: nothing to clean up, and no file lock shared with a run still stopping.
                    "--db=dev-mem",
                    "--http-port=" + port,
                    "--http-host=127.0.0.1",
                    "--http-management-port=" + managementPort,
                    "--health-enabled=true",
                    "--import-realm"));
            builder.environment().putIfAbsent("JAVA_OPTS_APPEND", "-Xms64m -Xmx512m");
            builder.redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "keycloak.log").toFile());
            Process process = builder.start();
            awaitReady(process, "http://127.0.0.1:" + managementPort + "/health/ready");
            return new Keycloak(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak", e);
        }
    }

    /** The unpacked distribution: {@code target/keycloak/keycloak-<version>}. */
    private static Path distribution() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("target", "keycloak"))) {
            return dirs.filter(dir -> Files.isExecutable(dir.resolve("bin").resolve("kc.sh")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no Keycloak distribution in target/keycloak; run the build through Maven"));
        }
    }

    private static void awaitReady(Process process, String health) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Keycloak exited with " + process.exitValue() + "; see target/keycloak.log");
            }
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create(health)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            process.onExit()
                    .completeOnTimeout(null, 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .join();
        }
        process.destroy();
        throw new IllegalStateException("Keycloak not ready within 3 minutes; see target/keycloak.log");
    }
}
