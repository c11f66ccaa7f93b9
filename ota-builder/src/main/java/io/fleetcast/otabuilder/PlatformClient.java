package io.fleetcast.otabuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The platform's firmware upload and Keycloak's token endpoint, over the JDK's HTTP client.
 *
 * <p>Upload: {@code POST <platform>/api/v1/firmware/bundles}, {@code Content-Type:
 * application/octet-stream}, body = the bundle file as is (streamed from disk, with its length),
 * {@code Authorization: Bearer <token>}. The platform verifies the bundle itself; any 2xx is success.
 */
final class PlatformClient {

    static final String UPLOAD_PATH = "/api/v1/firmware/bundles";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    PlatformClient(Duration timeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
    }

    /** The status and body of the platform's answer. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** A token for the service account, by OAuth2 client credentials (client_secret_post). */
    String clientCredentialsToken(URI tokenUrl, String clientId, String clientSecret) throws IOException {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new CommandFailure(
                    ExitCodes.PUBLISH_FAILED,
                    "the token endpoint answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        JsonNode token = JSON.readTree(response.body()).get("access_token");
        if (token == null || !token.isTextual()) {
            throw new CommandFailure(ExitCodes.PUBLISH_FAILED, "the token endpoint's answer has no access_token");
        }
        return token.textValue();
    }

    Answer upload(URI platform, String token, Path bundle) throws IOException {
        URI target = platform.resolve(stripTrailingSlash(platform.getPath()) + UPLOAD_PATH);
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(bundle))
                .build();
        HttpResponse<String> response = send(request);
        return new Answer(response.statusCode(), response.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.PUBLISH_FAILED, "interrupted");
        } catch (IOException e) {
            throw new CommandFailure(
                    ExitCodes.PUBLISH_FAILED,
                    "cannot reach " + request.uri() + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...";
    }
}
