package io.fleetcast.platform.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real nats-server (Debian's package, installed by {@code .ci/run}) on free loopback ports, with its
 * monitoring endpoint so tests can see the connections and subscriptions NATS holds.
 */
public final class NatsServerProcess implements AutoCloseable {

    private final int port;
    private final int monitorPort;
    private final Path log;
    private Process process;

    private NatsServerProcess(int port, int monitorPort, Path log) {
        this.port = port;
        this.monitorPort = monitorPort;
        this.log = log;
    }

    public static NatsServerProcess start(Path log) throws IOException, InterruptedException {
        NatsServerProcess server = new NatsServerProcess(freePort(), freePort(), log);
        server.startAgain();
        return server;
    }

    /** Starts the server on its ports again, after {@link #kill}; clients reconnect on their own. */
    public void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(
                        binary(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-m", String.valueOf(monitorPort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("nats-server exited");
                        }
                        return accepts();
                    });
        } catch (ConditionTimeoutException | IllegalStateException e) {
            process.destroyForcibly();
            throw new IllegalStateException("nats-server did not start; see " + log, e);
        }
    }

    /** Stops the server at once (SIGKILL), as an outage would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** A monitoring document such as {@code connz} or {@code subsz}, as JSON text. */
    public String monitor(String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/" + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary() {
        for (String candidate :
                new String[] {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "nats-server"; // from PATH
    }

    /** A free loopback port; another process could take it before it is bound, which tests accept. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
