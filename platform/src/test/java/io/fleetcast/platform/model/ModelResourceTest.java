package io.fleetcast.platform.model;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.Callers;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tenants;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class ModelResourceTest {

    private static final String MODELS = "/api/v1/models";

    @Test
    void creates_model_and_answers_with_its_location() {
        String name = Api.unique("tv");

        ExtractableResponse<Response> created = create(model(name))
                .statusCode(201)
                .body("name", equalTo(name))
                .body("deviceClass", equalTo("tv"))
                .body("hardwareRevision", equalTo("r1"))
                .body("capabilities", contains("4k", "hdr"))
                .body("createdAt", notNullValue())
                .extract();
        String id = created.path("id");

        assertThat(created.header("Location")).endsWith(MODELS + "/" + id);
        given().get(MODELS + "/" + id).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void lists_models_of_the_tenant() {
        String first = Api.createModel(Api.unique("tv"));
        String second = Api.createModel(Api.unique("tv"));

        given().get(MODELS).then().statusCode(200).body("name", hasItem(first)).body("name", hasItem(second));
    }

    @Test
    void replaces_model_with_put() {
        String id = createdId(model(Api.unique("tv")));
        String renamed = Api.unique("box");
        Map<String, Object> replacement = model(renamed);
        replacement.put("deviceClass", "set-top-box");
        replacement.remove("hardwareRevision");
        replacement.put("capabilities", List.of("dolby"));

        given().contentType(ContentType.JSON)
                .body(replacement)
                .put(MODELS + "/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(renamed))
                .body("deviceClass", equalTo("set-top-box"));
        given().get(MODELS + "/" + id)
                .then()
                .body("name", equalTo(renamed))
                .body("hardwareRevision", equalTo(null))
                .body("capabilities", contains("dolby"));
    }

    @Test
    void deletes_unused_model() {
        String id = createdId(model(Api.unique("tv")));

        given().delete(MODELS + "/" + id).then().statusCode(204);

        given().get(MODELS + "/" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().delete(MODELS + "/" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void rejects_duplicate_name_with_model_exists() {
        String taken = Api.createModel(Api.unique("tv"));
        String otherId = createdId(model(Api.unique("tv")));

        create(model(taken)).statusCode(409).body("code", equalTo("MODEL_EXISTS"));
        given().contentType(ContentType.JSON)
                .body(model(taken))
                .put(MODELS + "/" + otherId)
                .then()
                .statusCode(409)
                .body("code", equalTo("MODEL_EXISTS"));
    }

    @Test
    void rejects_unknown_device_class() {
        Map<String, Object> fridge = model(Api.unique("fridge"));
        fridge.put("deviceClass", "fridge");

        create(fridge)
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("code", equalTo("MALFORMED_JSON"))
                .body("message", containsString("deviceClass must be one of"));
    }

    @Test
    void rejects_model_without_name() {
        Map<String, Object> nameless = model("unused");
        nameless.remove("name");

        create(nameless)
                .statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("details", hasItem(startsWith("name:")));
    }

    @Test
    void rejects_invalid_name_and_capabilities_with_details() {
        Map<String, Object> invalid = model("has spaces");
        invalid.put("capabilities", List.of("ok", "not ok"));

        create(invalid)
                .statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("details", hasItem(startsWith("name:")))
                .body("details", hasItem(startsWith("capabilities")));
    }

    @Test
    void rejects_malformed_json() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"tv\", ")
                .post(MODELS)
                .then()
                .statusCode(400)
                .body("code", equalTo("MALFORMED_JSON"));
    }

    @Test
    void refuses_to_delete_model_that_devices_use() {
        String name = Api.createModel(Api.unique("tv"));
        Api.preregister(name, Api.unique("SN"));

        given().delete(MODELS + "/" + idOf(name)).then().statusCode(409).body("code", equalTo("MODEL_IN_USE"));
        given().get(MODELS + "/" + idOf(name)).then().statusCode(200);
    }

    @Test
    void answers_unknown_model_id_with_not_found() {
        given().get(MODELS + "/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void hides_models_from_other_tenants() {
        String name = Api.createModel(Api.unique("tv"));
        String id = idOf(name);

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            given().get(MODELS + "/" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
            given().get(MODELS).then().statusCode(200).body("id", not(hasItem(id)));
            given().contentType(ContentType.JSON)
                    .body(model(Api.unique("tv")))
                    .put(MODELS + "/" + id)
                    .then()
                    .statusCode(404);
            given().delete(MODELS + "/" + id).then().statusCode(404);
        });

        given().get(MODELS + "/" + id).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void lets_another_tenant_use_the_same_model_name() {
        String name = Api.createModel(Api.unique("tv"));

        Callers.asAdminOf(Tenants.GLOBEX, () -> create(model(name)).statusCode(201));
    }

    @Test
    @TestSecurity
    void refuses_anonymous_caller() {
        given().get(MODELS)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("UNAUTHENTICATED"));
        create(model(Api.unique("tv"))).statusCode(401);
    }

    @Test
    @TestSecurity(
            user = "partner",
            roles = "partner-developer",
            attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
    void refuses_partner_developer() {
        given().get(MODELS).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        create(model(Api.unique("tv"))).statusCode(403);
    }

    @Test
    @TestSecurity(
            user = "operator",
            roles = "operator",
            attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
    void lets_operator_read_but_not_create_models() {
        given().get(MODELS).then().statusCode(200);
        create(model(Api.unique("tv"))).statusCode(403);
    }

    private static Map<String, Object> model(String name) {
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("deviceClass", "tv");
        model.put("hardwareRevision", "r1");
        model.put("capabilities", List.of("4k", "hdr"));
        return model;
    }

    private static ValidatableResponse create(Map<String, Object> model) {
        return given().contentType(ContentType.JSON).body(model).post(MODELS).then();
    }

    private static String createdId(Map<String, Object> model) {
        return create(model).statusCode(201).extract().path("id");
    }

    private static String idOf(String name) {
        List<Map<String, Object>> models =
                given().get(MODELS).then().statusCode(200).extract().path("");
        return models.stream()
                .filter(model -> name.equals(model.get("name")))
                .map(model -> (String) model.get("id"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no model named " + name));
    }
}
