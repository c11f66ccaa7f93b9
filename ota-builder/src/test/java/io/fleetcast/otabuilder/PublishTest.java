package io.fleetcast.otabuilder;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishes to a real HTTP server that plays Keycloak's token endpoint and the platform's upload. */
class PublishTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    private final List<String> tokenForms = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private volatile int uploadStatus = 201;
    private Path bundle;

    record Upload(String method, String path, String contentType, String authorization, byte[] body) {}

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/realms/fleetcast/protocol/openid-connect/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tokenForms.add(form);
            if (form.contains("client_secret=s3cr%26t")) {
                respond(exchange, 200, "{\"access_token\":\"tok-123\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            } else {
                respond(exchange, 401, "{\"error\":\"unauthorized_client\"}");
            }
        });
        server.createContext("/api/v1/firmware/bundles", exchange -> {
            uploads.add(new Upload(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestBody().readAllBytes()));
            respond(exchange, uploadStatus, uploadStatus == 201 ? "{\"id\":\"fw-1\"}" : "{\"code\":\"BAD_SIGNATURE\"}");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();

        assertThat(Cli.run("keygen", "--out", dir.resolve("k").toString()).exitCode())
                .isZero();
        Path image = Files.write(dir.resolve("i.img"), BuildAndVerifyTest.imageLike(50_000, 3));
        bundle = dir.resolve("b.fcota");
        Cli.Run build = Cli.run(
                "build",
                "--key",
                dir.resolve("k.key.pem").toString(),
                "--image",
                image.toString(),
                "--version",
                "1.0.1",
                "--model",
                "stb-1",
                "--anti-rollback",
                "0",
                "--out",
                bundle.toString());
        assertThat(build.exitCode()).as(build.err()).isZero();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void uploads_the_bundle_as_octet_stream_with_a_client_credentials_token() throws Exception {
        Cli.Run run = Cli.run(
                "publish",
                bundle.toString(),
                "--platform",
                base,
                "--token-url",
                base + "/realms/fleetcast/protocol/openid-connect/token",
                "--client-secret",
                "s3cr&t",
                "--public-key",
                dir.resolve("k.pub.pem").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("published 1.0.1").contains("fw-1");
        assertThat(tokenForms).singleElement().satisfies(form -> assertThat(form)
                .contains("grant_type=client_credentials", "client_id=fleetcast-ota-builder"));
        assertThat(uploads).singleElement().satisfies(upload -> {
            assertThat(upload.method()).isEqualTo("POST");
            assertThat(upload.path()).isEqualTo("/api/v1/firmware/bundles");
            assertThat(upload.contentType()).isEqualTo("application/octet-stream");
            assertThat(upload.authorization()).isEqualTo("Bearer tok-123");
            assertThat(upload.body()).isEqualTo(Files.readAllBytes(bundle));
        });
    }

    @Test
    void uses_a_given_token_and_reports_a_refusal_with_exit_code_4() {
        uploadStatus = 422;
        Cli.Run run = Cli.run("publish", bundle.toString(), "--platform", base + "/", "--token", "given");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.PUBLISH_FAILED);
        assertThat(run.err()).contains("HTTP 422").contains("BAD_SIGNATURE");
        assertThat(uploads).singleElement().satisfies(u -> assertThat(u.authorization())
                .isEqualTo("Bearer given"));
        assertThat(tokenForms).isEmpty();
    }

    @Test
    void bad_client_secret_stops_before_the_upload() {
        Cli.Run run = Cli.run(
                "publish",
                bundle.toString(),
                "--platform",
                base,
                "--token-url",
                base + "/realms/fleetcast/protocol/openid-connect/token",
                "--client-secret",
                "wrong");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.PUBLISH_FAILED);
        assertThat(run.err()).contains("token endpoint answered 401");
        assertThat(uploads).isEmpty();
    }

    @Test
    void refuses_to_upload_a_truncated_bundle() throws Exception {
        byte[] bytes = Files.readAllBytes(bundle);
        Files.write(bundle, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        Cli.Run run = Cli.run("publish", bundle.toString(), "--platform", base, "--token", "t");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(uploads).isEmpty();
    }

    @Test
    void unreachable_platform_is_exit_code_4() throws IOException {
        server.stop(0);
        Cli.Run run = Cli.run("publish", bundle.toString(), "--platform", base, "--token", "t");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.PUBLISH_FAILED);
        assertThat(run.err()).contains("cannot reach");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
