package io.fleetcast.platform.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tenant A's objects, seen and touched by tenant B with real tokens: nothing leaks, nothing changes. */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
class TenantIsolationTest {

    private String model;
    private String modelId;
    private String groupId;
    private String claimId;
    private String deviceId;

    @BeforeEach
    void acme_objects() {
        model = "iso-" + UUID.randomUUID().toString().substring(0, 8);
        modelId = acme().contentType(ContentType.JSON)
                .body(Map.of("name", model, "deviceClass", "tv"))
                .post("/api/v1/models")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        groupId = acme().contentType(ContentType.JSON)
                .body(Map.of("name", "g-" + model, "kind", "STATIC"))
                .post("/api/v1/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        claimId = acme().contentType(ContentType.JSON)
                .body(Map.of("model", model, "maxUses", 3))
                .post("/api/v1/claims")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String serial = "SN-" + model;
        acme().contentType("text/csv")
                .body("serial,model\n" + serial + "," + model)
                .post("/api/v1/devices/import")
                .then()
                .statusCode(200);
        deviceId =
                acme().get("/api/v1/devices?serial=" + serial).then().extract().path("items[0].id");
    }

    @Test
    void another_tenant_gets_404_for_every_object_and_changes_nothing() {
        String members = "{\"deviceIds\":[\"" + deviceId + "\"]}";
        List<String[]> calls = List.of(
                new String[] {"GET", "/api/v1/models/" + modelId, null},
                new String[] {"PUT", "/api/v1/models/" + modelId, "{\"name\":\"stolen\",\"deviceClass\":\"tv\"}"},
                new String[] {"DELETE", "/api/v1/models/" + modelId, null},
                new String[] {"GET", "/api/v1/groups/" + groupId, null},
                new String[] {"PUT", "/api/v1/groups/" + groupId, "{\"name\":\"stolen\",\"kind\":\"STATIC\"}"},
                new String[] {"GET", "/api/v1/groups/" + groupId + "/devices", null},
                new String[] {"GET", "/api/v1/groups/" + groupId + "/devices/count", null},
                new String[] {"POST", "/api/v1/groups/" + groupId + "/members", members},
                new String[] {"POST", "/api/v1/groups/" + groupId + "/members/remove", members},
                new String[] {"DELETE", "/api/v1/groups/" + groupId, null},
                new String[] {"GET", "/api/v1/claims/" + claimId, null},
                new String[] {"POST", "/api/v1/claims/" + claimId + "/revoke", null},
                new String[] {"GET", "/api/v1/devices/" + deviceId, null},
                new String[] {"POST", "/api/v1/devices/" + deviceId + "/disable", null},
                new String[] {"POST", "/api/v1/devices/" + deviceId + "/enable", null},
                new String[] {"GET", "/api/v1/devices/" + deviceId + "/certificates", null},
                new String[] {"POST", "/api/v1/devices/" + deviceId + "/certificates/0a1b2c/revoke", null},
                new String[] {"DELETE", "/api/v1/devices/" + deviceId, null});
        for (String[] call : calls) {
            RequestSpecification globex = given().auth().oauth2(Tokens.of("admin@globex"));
            if (call[2] != null) {
                globex.contentType(ContentType.JSON).body(call[2]);
            }
            int status = globex.request(call[0], call[1]).then().extract().statusCode();
            assertThat(status).as("%s %s by another tenant", call[0], call[1]).isEqualTo(404);
        }

        acme().get("/api/v1/models/" + modelId).then().statusCode(200).body("name", equalTo(model));
        acme().get("/api/v1/groups/" + groupId).then().statusCode(200).body("name", equalTo("g-" + model));
        acme().get("/api/v1/claims/" + claimId).then().statusCode(200).body("revokedAt", equalTo(null));
        acme().get("/api/v1/devices/" + deviceId).then().statusCode(200).body("status", equalTo("PREREGISTERED"));
    }

    @Test
    void another_tenant_sees_none_of_it_in_lists() {
        RequestSpecification globex = given().auth().oauth2(Tokens.of("admin@globex"));
        globex.get("/api/v1/models").then().statusCode(200).body("name", not(hasItem(model)));
        given().auth()
                .oauth2(Tokens.of("admin@globex"))
                .get("/api/v1/groups")
                .then()
                .body("id", not(hasItem(groupId)));
        given().auth()
                .oauth2(Tokens.of("admin@globex"))
                .get("/api/v1/claims")
                .then()
                .body("id", not(hasItem(claimId)));
        given().auth()
                .oauth2(Tokens.of("admin@globex"))
                .get("/api/v1/devices?model=" + model)
                .then()
                .body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void a_tenant_written_into_a_body_is_ignored() {
        String name = "forged-" + UUID.randomUUID().toString().substring(0, 8);

        acme().contentType(ContentType.JSON)
                .body(Map.of("name", name, "deviceClass", "tv", "tenant", "globex", "tenantId", "globex"))
                .post("/api/v1/models")
                .then()
                .statusCode(201);

        acme().get("/api/v1/models").then().body("name", hasItem(name));
        given().auth()
                .oauth2(Tokens.of("admin@globex"))
                .get("/api/v1/models")
                .then()
                .body("name", not(hasItem(name)));
    }

    @Test
    void refuses_missing_tampered_expired_and_foreign_tokens() {
        String token = Tokens.of("admin@acme");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        String[] parts = token.split("\\.");
        String otherClaims = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "x"
                + parts[1].charAt(parts[1].length() - 1) + "." + parts[2];

        given().get("/api/v1/models").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2(tampered).get("/api/v1/models").then().statusCode(401);
        given().auth().oauth2(otherClaims).get("/api/v1/models").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/v1/models").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.fromOtherRealm("admin@acme"))
                .get("/api/v1/models")
                .then()
                .statusCode(401);

        String shortLived = Tokens.shortLived("admin@acme");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().auth()
                        .oauth2(shortLived)
                        .get("/api/v1/models")
                        .then()
                        .statusCode(401));
    }

    @Test
    void the_ota_builder_service_account_acts_for_its_tenant() {
        String token = given().baseUri(
                        io.fleetcast.platform.testing.Keycloak.shared().url())
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "fleetcast-ota-builder")
                .formParam("client_secret", "change-me-ota-builder")
                .post("/realms/fleetcast/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");

        given().auth().oauth2(token).get("/api/v1/models").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/models/" + modelId).then().statusCode(404);
    }

    private static RequestSpecification acme() {
        return given().auth().oauth2(Tokens.of("admin@acme"));
    }
}
