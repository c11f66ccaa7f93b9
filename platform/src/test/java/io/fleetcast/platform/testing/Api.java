package io.fleetcast.platform.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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

    /** Posts a CSV import (header line included) and returns the response. */
    public static ValidatableResponse importCsv(String csv) {
        return given().contentType("text/csv")
                .body(csv)
                .post("/api/v1/devices/import")
                .then();
    }

    /** Pre-registers devices of a model (no region, no tags) and returns their ids in serial order. */
    public static List<String> preregister(String model, String... serials) {
        String rows = Arrays.stream(serials).map(serial -> serial + "," + model).collect(Collectors.joining("\n"));
        importCsv("serial,model\n" + rows).statusCode(200).body("created", equalTo(serials.length));
        return Arrays.stream(serials).map(Api::deviceIdOf).toList();
    }

    /** The id of the caller's device with this serial. */
    public static String deviceIdOf(String serial) {
        return given().queryParam("serial", serial)
                .get("/api/v1/devices")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .extract()
                .path("items[0].id");
    }
}
