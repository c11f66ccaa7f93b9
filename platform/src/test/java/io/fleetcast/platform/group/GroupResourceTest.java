package io.fleetcast.platform.group;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
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
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
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
class GroupResourceTest {

    private static final String GROUPS = "/api/v1/groups";

    @Test
    void adds_only_the_tenants_own_devices_to_a_static_group() {
        String model = Api.createModel(Api.unique("tv"));
        List<String> devices = Api.preregister(model, Api.unique("SN"), Api.unique("SN"), Api.unique("SN"));
        String foreign = globexDevice();
        String unknown = UUID.randomUUID().toString();
        String group = createdId(staticGroup(Api.unique("lab")));

        addMembers(group, devices.get(0), devices.get(1), devices.get(2), unknown, foreign)
                .statusCode(200)
                .body("changed", equalTo(3))
                .body("unknown", contains(unknown, foreign));

        assertThat(memberIds(group)).containsExactlyInAnyOrderElementsOf(devices);
        assertThat(count(group)).isEqualTo(3);
        addMembers(group, devices.get(0)).statusCode(200).body("changed", equalTo(0));
    }

    @Test
    void lists_static_group_members_page_by_page() {
        String model = Api.createModel(Api.unique("tv"));
        List<String> devices = Api.preregister(model, Api.unique("SN"), Api.unique("SN"), Api.unique("SN"));
        String group = createdId(staticGroup(Api.unique("lab")));
        addMembers(group, devices.toArray(String[]::new)).statusCode(200);

        JsonPath first = devicesPage(group, null);
        JsonPath second = devicesPage(group, first.getString("next"));

        assertThat(first.getList("items")).hasSize(2);
        assertThat(second.getList("items")).hasSize(1);
        assertThat(second.getString("next")).isNull();
        List<String> seen = new ArrayList<>(first.getList("items.id"));
        seen.addAll(second.getList("items.id"));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(devices).isSorted();
    }

    @Test
    void removes_members_from_a_static_group() {
        String model = Api.createModel(Api.unique("tv"));
        List<String> devices = Api.preregister(model, Api.unique("SN"), Api.unique("SN"));
        String group = createdId(staticGroup(Api.unique("lab")));
        addMembers(group, devices.get(0), devices.get(1)).statusCode(200);
        String unknown = UUID.randomUUID().toString();

        given().contentType(ContentType.JSON)
                .body(Map.of("deviceIds", List.of(devices.get(0), unknown)))
                .post(GROUPS + "/" + group + "/members/remove")
                .then()
                .statusCode(200)
                .body("changed", equalTo(1))
                .body("unknown", contains(unknown));

        assertThat(memberIds(group)).containsExactly(devices.get(1));
        Api.device(devices.get(0)).statusCode(200);
    }

    @Test
    void rejects_empty_member_list() {
        String group = createdId(staticGroup(Api.unique("lab")));

        addMembers(group).statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void dynamic_group_follows_its_filter() {
        String model = Api.createModel(Api.unique("tv"));
        String group =
                createdId(dynamicGroup(Api.unique("beta"), Map.of("models", List.of(model), "tags", List.of("beta"))));
        String matching = Api.unique("SN");
        Api.importCsv(csv(model, matching + ",beta;kitchen", Api.unique("SN") + ",kitchen"))
                .statusCode(200);

        assertThat(count(group)).isEqualTo(1);
        assertThat(devicesPage(group, null).getList("items.serial")).containsExactly(matching);

        Api.importCsv(csv(model, Api.unique("SN") + ",beta", Api.unique("SN") + ",beta;lab"))
                .statusCode(200);

        assertThat(count(group)).isEqualTo(3);
        given().get(GROUPS + "/" + group)
                .then()
                .statusCode(200)
                .body("kind", equalTo("DYNAMIC"))
                .body("filter.models", contains(model))
                .body("filter.tags", contains("beta"));
    }

    @Test
    void rejects_dynamic_group_without_filter_and_static_group_with_one() {
        Map<String, Object> noFilter = staticGroup(Api.unique("g"));
        noFilter.put("kind", "DYNAMIC");
        Map<String, Object> withFilter = dynamicGroup(Api.unique("g"), Map.of("tags", List.of("beta")));
        withFilter.put("kind", "STATIC");

        create(noFilter)
                .statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("details", hasItem(startsWith("filterMatchingKind")));
        create(withFilter).statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void rejects_dynamic_group_with_invalid_filter_value() {
        create(dynamicGroup(Api.unique("g"), Map.of("tags", List.of("not a tag"))))
                .statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("details", hasItem(startsWith("filter.tags")));
    }

    @Test
    void refuses_to_add_members_to_a_dynamic_group() {
        String model = Api.createModel(Api.unique("tv"));
        String device = Api.preregister(model, Api.unique("SN")).get(0);
        String group = createdId(dynamicGroup(Api.unique("g"), Map.of("models", List.of(model))));

        addMembers(group, device).statusCode(409).body("code", equalTo("GROUP_NOT_STATIC"));
    }

    @Test
    void renames_a_group_but_never_changes_its_kind() {
        String group = createdId(staticGroup(Api.unique("g")));
        String renamed = Api.unique("renamed");

        update(group, staticGroup(renamed)).statusCode(200).body("name", equalTo(renamed));
        update(group, dynamicGroup(renamed, Map.of("tags", List.of("beta"))))
                .statusCode(400)
                .body("code", equalTo("GROUP_KIND_FIXED"));
        given().get(GROUPS + "/" + group).then().body("kind", equalTo("STATIC")).body("name", equalTo(renamed));
    }

    @Test
    void rejects_duplicate_group_name() {
        String name = Api.unique("g");
        create(staticGroup(name)).statusCode(201);
        String other = createdId(staticGroup(Api.unique("g")));

        create(staticGroup(name)).statusCode(409).body("code", equalTo("GROUP_EXISTS"));
        update(other, staticGroup(name)).statusCode(409).body("code", equalTo("GROUP_EXISTS"));
    }

    @Test
    void deletes_a_group_but_keeps_its_devices() {
        String model = Api.createModel(Api.unique("tv"));
        String device = Api.preregister(model, Api.unique("SN")).get(0);
        String group = createdId(staticGroup(Api.unique("g")));
        addMembers(group, device).statusCode(200);

        given().delete(GROUPS + "/" + group).then().statusCode(204);

        given().get(GROUPS + "/" + group).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        Api.device(device).statusCode(200);
    }

    @Test
    void hides_groups_from_other_tenants() {
        String group = createdId(staticGroup(Api.unique("g")));
        String foreignDevice = globexDevice();

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            given().get(GROUPS + "/" + group).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
            given().get(GROUPS).then().statusCode(200).body("id", not(hasItem(group)));
            given().get(GROUPS + "/" + group + "/devices").then().statusCode(404);
            given().get(GROUPS + "/" + group + "/devices/count").then().statusCode(404);
            addMembers(group, foreignDevice).statusCode(404);
            update(group, staticGroup(Api.unique("g"))).statusCode(404);
            given().delete(GROUPS + "/" + group).then().statusCode(404);
        });

        assertThat(count(group)).isZero();
    }

    private static String globexDevice() {
        return Callers.asAdminOf(
                Tenants.GLOBEX, () -> Api.preregister(Api.createModel(Api.unique("tv")), Api.unique("SN"))
                        .get(0));
    }

    private static Map<String, Object> staticGroup(String name) {
        Map<String, Object> group = new HashMap<>();
        group.put("name", name);
        group.put("kind", "STATIC");
        return group;
    }

    private static Map<String, Object> dynamicGroup(String name, Map<String, Object> filter) {
        Map<String, Object> group = staticGroup(name);
        group.put("kind", "DYNAMIC");
        group.put("filter", filter);
        return group;
    }

    private static String csv(String model, String... serialAndTags) {
        StringBuilder csv = new StringBuilder("serial,model,tags");
        for (String row : serialAndTags) {
            String[] parts = row.split(",", 2);
            csv.append('\n')
                    .append(parts[0])
                    .append(',')
                    .append(model)
                    .append(',')
                    .append(parts[1]);
        }
        return csv.toString();
    }

    private static ValidatableResponse create(Map<String, Object> group) {
        return given().contentType(ContentType.JSON).body(group).post(GROUPS).then();
    }

    private static String createdId(Map<String, Object> group) {
        ValidatableResponse created = create(group).statusCode(201);
        String id = created.extract().path("id");
        assertThat(created.extract().header("Location")).endsWith(GROUPS + "/" + id);
        return id;
    }

    private static ValidatableResponse update(String group, Map<String, Object> request) {
        return given().contentType(ContentType.JSON)
                .body(request)
                .put(GROUPS + "/" + group)
                .then();
    }

    private static ValidatableResponse addMembers(String group, String... deviceIds) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("deviceIds", List.of(deviceIds)))
                .post(GROUPS + "/" + group + "/members")
                .then();
    }

    private static JsonPath devicesPage(String group, String after) {
        var request = given().queryParam("limit", 2);
        if (after != null) {
            request.queryParam("after", after);
        }
        return request.get(GROUPS + "/" + group + "/devices")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<String> memberIds(String group) {
        return given().queryParam("limit", 1000)
                .get(GROUPS + "/" + group + "/devices")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
    }

    private static long count(String group) {
        return given().get(GROUPS + "/" + group + "/devices/count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("count");
    }
}
