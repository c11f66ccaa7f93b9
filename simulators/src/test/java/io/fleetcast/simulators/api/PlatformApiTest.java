package io.fleetcast.simulators.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformApiTest {

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> requestBodies = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private PlatformApi api;

    record Answer(int status, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requestBodies.put(path, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Answer answer = answers.getOrDefault(path, new Answer(404, "{}"));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        api = new PlatformApi(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "dev-token");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void model_request_has_the_contract_fields() {
        assertThat(PlatformApi.toJson(new PlatformApi.ModelRequest("sim-tv", "tv", "r1", List.of("4k"))))
                .isEqualTo(
                        "{\"name\":\"sim-tv\",\"deviceClass\":\"tv\",\"hardwareRevision\":\"r1\",\"capabilities\":[\"4k\"]}");
    }

    @Test
    void creates_model_with_bearer_token() throws InterruptedException {
        answers.put("/api/v1/models", new Answer(201, "{\"id\":\"m1\",\"name\":\"sim-tv\"}"));

        api.ensureModel("sim-tv");

        assertThat(authorizations.get("/api/v1/models")).isEqualTo("Bearer dev-token");
        assertThat(requestBodies.get("/api/v1/models")).contains("\"name\":\"sim-tv\"");
    }

    @Test
    void an_existing_model_is_fine() throws InterruptedException {
        answers.put("/api/v1/models", new Answer(409, "{\"code\":\"MODEL_EXISTS\",\"message\":\"exists\"}"));

        api.ensureModel("sim-tv");
    }

    @Test
    void other_conflicts_fail_with_the_response() {
        answers.put("/api/v1/models", new Answer(409, "{\"code\":\"SOMETHING_ELSE\"}"));

        assertThatThrownBy(() -> api.ensureModel("sim-tv"))
                .isInstanceOf(PlatformApiException.class)
                .hasMessageContaining("409")
                .hasMessageContaining("SOMETHING_ELSE");
    }

    @Test
    void claim_returns_the_token_devices_connect_with() throws InterruptedException {
        answers.put("/api/v1/claims", new Answer(201, "{\"id\":\"c1\",\"token\":\"c1.s3cret\",\"maxUses\":20000}"));

        String token = api.createClaim("sim-tv", 20_000, Instant.parse("2030-01-01T00:00:00Z"));

        assertThat(token).isEqualTo("c1.s3cret");
        assertThat(requestBodies.get("/api/v1/claims"))
                .isEqualTo("{\"model\":\"sim-tv\",\"maxUses\":20000,\"expiresAt\":\"2030-01-01T00:00:00Z\"}");
    }

    @Test
    void unauthorized_claim_fails_with_status() {
        answers.put("/api/v1/claims", new Answer(401, "{\"code\":\"UNAUTHORIZED\"}"));

        assertThatThrownBy(() -> api.createClaim("sim-tv", 1, Instant.now()))
                .isInstanceOf(PlatformApiException.class)
                .hasMessageContaining("401");
    }

    @Test
    void ready_only_on_200() throws InterruptedException {
        assertThat(api.isReady()).isFalse();

        answers.put("/q/health/ready", new Answer(200, "{\"status\":\"UP\"}"));

        assertThat(api.isReady()).isTrue();
    }
}
