package io.fleetcast.simulators.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The few platform REST calls a benchmark needs before devices can provision: create a model and a
 * claim for it. Called once per run from one thread, so plain blocking calls are fine.
 */
public final class PlatformApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http;

    public PlatformApi(URI base, String token) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token;
        // HTTP/1.1 on purpose: the default HTTP/2 tries an h2c upgrade on plain http, which only adds
        // a round trip and a second code path on the server.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** True when {@code /q/health/ready} answers 200. */
    public boolean isReady() throws InterruptedException {
        try {
            HttpResponse<String> response =
                    http.send(request("/q/health/ready").GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the model unless one with this name exists already; both leave it usable. */
    public void ensureModel(String name) throws InterruptedException {
        ModelRequest body = new ModelRequest(name, "tv", "r1", List.of("4k"));
        HttpResponse<String> response = post("/api/v1/models", body);
        if (response.statusCode() == 201) {
            return;
        }
        if (response.statusCode() == 409 && "MODEL_EXISTS".equals(errorCode(response))) {
            return;
        }
        throw unexpected("create model " + name, response);
    }

    /**
     * Creates a claim for the model.
     *
     * @return the claim token {@code <claimId>.<secret>} that devices present at CONNECT
     */
    public String createClaim(String model, int maxUses, Instant expiresAt) throws InterruptedException {
        HttpResponse<String> response = post("/api/v1/claims", new ClaimRequest(model, maxUses, expiresAt.toString()));
        if (response.statusCode() != 201) {
            throw unexpected("create claim for " + model, response);
        }
        String claimToken = parse(response).path("token").asText("");
        if (claimToken.isEmpty()) {
            throw new PlatformApiException("create claim: response has no token: " + response.body());
        }
        return claimToken;
    }

    private HttpResponse<String> post(String path, Object body) throws InterruptedException {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(body)))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PlatformApiException("POST " + request.uri() + " failed: " + e, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        // Appended, not resolved: resolving "/api/..." would drop a path prefix in --api-url.
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    static String toJson(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new PlatformApiException("not JSON (HTTP " + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static String errorCode(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body()).path("code").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static PlatformApiException unexpected(String what, HttpResponse<String> response) {
        return new PlatformApiException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }

    record ModelRequest(String name, String deviceClass, String hardwareRevision, List<String> capabilities) {}

    record ClaimRequest(String model, int maxUses, String expiresAt) {}
}
