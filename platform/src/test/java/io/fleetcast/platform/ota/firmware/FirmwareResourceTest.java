package io.fleetcast.platform.ota.firmware;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Keycloak;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.platform.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class FirmwareResourceTest {

    @Inject
    Pool pool;

    @Test
    void registers_and_revokes_a_signing_key() {
        Bundles bundles = new Bundles();
        String id = bundles.register("release")
                .statusCode(201)
                .body("keyId", equalTo(bundles.keyId()))
                .body("name", equalTo("release"))
                .extract()
                .path("id");

        bundles.register("again").statusCode(409).body("code", equalTo("KEY_EXISTS"));
        given().post(Bundles.KEYS + "/" + id + "/revoke").then().statusCode(200).body("revokedAt", notNullValue());
        assertThat(given().get(Bundles.KEYS).then().statusCode(200).extract().<List<String>>path("keyId"))
                .contains(bundles.keyId());
    }

    @Test
    void refuses_a_key_that_is_not_an_ed25519_public_key() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "publicKey", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .post(Bundles.KEYS)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_KEY"));
    }

    @Test
    void publishes_a_signed_bundle_for_each_model_it_names() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        String box = Api.createModel(Api.unique("box"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("k")).statusCode(201);
        byte[] bundle = bundles.full("2.0.0", List.of(tv, box), 50_000);

        Bundles.publish(bundle)
                .statusCode(201)
                .body("sha256", equalTo(sha256(bundle)))
                .body("size", equalTo(bundle.length))
                .body("version", equalTo("2.0.0"))
                .body("bundles", hasSize(2));

        given().queryParam("model", tv)
                .get(Bundles.BUNDLES)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].version", equalTo("2.0.0"))
                .body("items[0].keyId", equalTo(bundles.keyId()));
        Bundles.publish(bundle).statusCode(409).body("code", equalTo("BUNDLE_EXISTS"));
    }

    @Test
    void publishes_deltas_by_base_version_next_to_the_full_image() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("k")).statusCode(201);

        Bundles.publish(bundles.full("3.0.0", List.of(tv), 10_000)).statusCode(201);
        Bundles.publish(bundles.delta("3.0.0", "2.0.0", List.of(tv), 1_000))
                .statusCode(201)
                .body("baseVersion", equalTo("2.0.0"));
        Bundles.publish(bundles.delta("3.0.0", "2.1.0", List.of(tv), 1_000)).statusCode(201);

        assertThat(given().queryParam("model", tv)
                        .get(Bundles.BUNDLES)
                        .then()
                        .extract()
                        .<List<String>>path("items.baseVersion"))
                .containsExactlyInAnyOrder(null, "2.0.0", "2.1.0");
    }

    @Test
    void rejects_bundle_with_bad_signature() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("k")).statusCode(201);
        byte[] bundle = bundles.full("2.0.0", List.of(tv), 5_000);
        int signatureStart = 14
                + ((bundle[10] & 0xff) << 24
                        | (bundle[11] & 0xff) << 16
                        | (bundle[12] & 0xff) << 8
                        | (bundle[13] & 0xff))
                + 2;
        bundle[signatureStart] ^= 0x01;

        assertRefusedAndNothingStored(bundle, 422, "BUNDLE_BAD_SIGNATURE");
    }

    @Test
    void rejects_bundle_signed_with_an_unregistered_key() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        assertRefusedAndNothingStored(new Bundles().full("2.0.0", List.of(tv), 5_000), 422, "UNKNOWN_SIGNING_KEY");
    }

    @Test
    void rejects_bundle_signed_with_a_revoked_key() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        String id = bundles.register(Api.unique("k")).statusCode(201).extract().path("id");
        given().post(Bundles.KEYS + "/" + id + "/revoke").then().statusCode(200);

        assertRefusedAndNothingStored(bundles.full("2.0.0", List.of(tv), 5_000), 422, "UNKNOWN_SIGNING_KEY");
    }

    @Test
    void rejects_expired_malformed_and_tampered_bundles() throws Exception {
        String tv = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("k")).statusCode(201);

        assertRefusedAndNothingStored(bundles.expired("2.0.0", List.of(tv)), 422, "BUNDLE_EXPIRED");
        assertRefusedAndNothingStored("not a bundle at all".getBytes(), 400, "BUNDLE_MALFORMED");
        byte[] tampered = bundles.full("2.0.1", List.of(tv), 5_000);
        tampered[tampered.length - 1] ^= 0x01;
        assertRefusedAndNothingStored(tampered, 422, "BUNDLE_HASH_MISMATCH");
        // A payload shorter than its manifest says is a broken file, not a wrong one.
        byte[] truncated = bundles.full("2.0.2", List.of(tv), 5_000);
        assertRefusedAndNothingStored(
                java.util.Arrays.copyOf(truncated, truncated.length - 10), 400, "BUNDLE_MALFORMED");
    }

    @Test
    void rejects_bundle_for_models_the_tenant_does_not_have() throws Exception {
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("k")).statusCode(201);
        assertRefusedAndNothingStored(bundles.full("2.0.0", List.of(Api.unique("nope")), 5_000), 422, "UNKNOWN_MODEL");
    }

    /**
     * The contract of {@code ota-builder publish}: the demo tenant's pipeline service account (client
     * credentials, manufacturer-admin) posts the bundle file as application/octet-stream.
     */
    @Test
    void the_ota_builder_service_account_publishes_with_its_own_token() throws Exception {
        String admin = Tokens.of("admin@demo");
        String model = Api.unique("tv");
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", model, "deviceClass", "tv"))
                .post("/api/v1/models")
                .then()
                .statusCode(201);
        Bundles bundles = new Bundles();
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "pipeline",
                        "publicKey",
                        io.fleetcast.ota.bundle.Keys.toPem(bundles.key().getPublic())))
                .post(Bundles.KEYS)
                .then()
                .statusCode(201);
        String serviceToken = given().baseUri(Keycloak.shared().url())
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "fleetcast-ota-builder")
                .formParam("client_secret", "change-me-ota-builder")
                .post("/realms/fleetcast/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");

        given().auth()
                .oauth2(serviceToken)
                .contentType("application/octet-stream")
                .body(bundles.full("5.0.0", List.of(model), 20_000))
                .post(Bundles.BUNDLES)
                .then()
                .statusCode(201)
                .body("bundles[0].model", equalTo(model))
                .body("bundles[0].createdBy", equalTo("service-account-fleetcast-ota-builder"));
    }

    private void assertRefusedAndNothingStored(byte[] bundle, int status, String code) throws Exception {
        Bundles.publish(bundle).statusCode(status).body("code", equalTo(code));
        String sha256 = sha256(bundle);
        long rows = pool.preparedQuery("SELECT count(*) FROM ota_artifacts WHERE sha256 = $1")
                .execute(Tuple.of(sha256))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(rows).isZero();
        Path root = Path.of("target", "test-artifacts");
        assertThat(Files.exists(root.resolve(sha256.substring(0, 2)).resolve(sha256)))
                .isFalse();
        try (Stream<Path> temp = Files.list(root.resolve("tmp"))) {
            assertThat(temp).as("no upload left behind").isEmpty();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
