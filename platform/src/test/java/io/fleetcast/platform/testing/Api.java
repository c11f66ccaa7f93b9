package io.fleetcast.platform.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;

/** Short REST calls for tests; the caller's identity comes from {@code @TestSecurity}. */
public final class Api {

    private Api() {}

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a TV model and returns its name. */
    public static String createModel(String name) {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name,
                        "deviceClass",
                        "tv",
                        "hardwareRevision",
                        "r1",
                        "capabilities",
                        java.util.List.of("4k")))
                .post("/api/v1/models")
                .then()
                .statusCode(201);
        return name;
    }

    /** Creates a claim and returns its token. */
    public static String createClaim(String model, int maxUses) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("model", model, "maxUses", maxUses))
                .post("/api/v1/claims")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    public static ValidatableResponse device(String deviceId) {
        return given().get("/api/v1/devices/" + deviceId).then();
    }
}
