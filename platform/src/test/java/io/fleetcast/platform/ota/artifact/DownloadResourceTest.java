package io.fleetcast.platform.ota.artifact;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tenants;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class DownloadResourceTest {

    @Inject
    DownloadSigner signer;

    private byte[] bundle;
    private String sha256;
    private final UUID device = UUID.randomUUID();

    @BeforeEach
    void publish() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("k")).statusCode(201);
        bundle = bundles.full("2.0.0", List.of(tv), 200_000);
        sha256 = Bundles.publish(bundle).statusCode(201).extract().path("sha256");
    }

    @Test
    void downloads_the_whole_artifact_with_its_etag_and_length() {
        ExtractableResponse<Response> response =
                get(url()).then().statusCode(200).extract();

        assertThat(response.asByteArray()).isEqualTo(bundle);
        assertThat(response.header("ETag")).isEqualTo("\"" + sha256 + "\"");
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(bundle.length));
        assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void resumes_with_a_range() {
        ExtractableResponse<Response> response = given().header("Range", "bytes=1000-1999")
                .get(pathAndQuery(url()))
                .then()
                .statusCode(206)
                .extract();

        assertThat(response.asByteArray()).isEqualTo(Arrays.copyOfRange(bundle, 1000, 2000));
        assertThat(response.header("Content-Range")).isEqualTo("bytes 1000-1999/" + bundle.length);
        assertThat(response.header("Content-Length")).isEqualTo("1000");

        byte[] tail = given().header("Range", "bytes=150000-")
                .get(pathAndQuery(url()))
                .then()
                .statusCode(206)
                .extract()
                .asByteArray();
        assertThat(tail).isEqualTo(Arrays.copyOfRange(bundle, 150_000, bundle.length));
    }

    @Test
    void a_range_past_the_end_is_416() {
        given().header("Range", "bytes=" + bundle.length + "-")
                .get(pathAndQuery(url()))
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + bundle.length)
                .body("code", equalTo("RANGE_NOT_SATISFIABLE"));
    }

    @Test
    void if_range_with_another_etag_sends_the_whole_artifact() {
        given().header("Range", "bytes=0-9")
                .header("If-Range", "\"something-else\"")
                .get(pathAndQuery(url()))
                .then()
                .statusCode(200)
                .header("Content-Length", String.valueOf(bundle.length));
        given().header("Range", "bytes=0-9")
                .header("If-Range", "\"" + sha256 + "\"")
                .get(pathAndQuery(url()))
                .then()
                .statusCode(206)
                .header("Content-Length", "10");
    }

    @Test
    void if_none_match_with_the_etag_is_304() {
        given().header("If-None-Match", "\"" + sha256 + "\"")
                .get(pathAndQuery(url()))
                .then()
                .statusCode(304);
    }

    @Test
    void refuses_unsigned_tampered_and_expired_urls_with_403() {
        given().get(pathAndQuery(URI.create("/api/v1/ota/downloads/" + sha256).toString()))
                .then()
                .statusCode(403)
                .body("code", equalTo("DOWNLOAD_UNSIGNED"));
        String signed = url();
        given().get(pathAndQuery(signed.replace("device=" + device, "device=" + UUID.randomUUID())))
                .then()
                .statusCode(403)
                .body("code", equalTo("DOWNLOAD_BAD_SIGNATURE"));
        given().get(pathAndQuery(signed.replaceFirst(
                        "expires=\\d+", "expires=" + (Instant.now().getEpochSecond() + 999_999))))
                .then()
                .statusCode(403)
                .body("code", equalTo("DOWNLOAD_BAD_SIGNATURE"));
        given().get(pathAndQuery(signer.url(sha256, device, Instant.now().minusSeconds(5))))
                .then()
                .statusCode(403)
                .body("code", equalTo("DOWNLOAD_EXPIRED"));
    }

    @Test
    void a_signed_url_for_one_artifact_does_not_open_another() {
        String other = "0".repeat(64);
        String signed = url();
        given().get(pathAndQuery(signed.replace(sha256, other)))
                .then()
                .statusCode(403)
                .body("code", equalTo("DOWNLOAD_BAD_SIGNATURE"));
    }

    private String url() {
        return signer.url(sha256, device, Instant.now().plusSeconds(600));
    }

    private static Response get(String url) {
        return given().get(pathAndQuery(url));
    }

    /** Rest Assured adds its own base URI and port; the signed URL's path and query are what matter. */
    private static String pathAndQuery(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
