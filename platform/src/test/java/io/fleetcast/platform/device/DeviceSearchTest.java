package io.fleetcast.platform.device;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.Callers;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class DeviceSearchTest {

    private static final String DEVICES = "/api/v1/devices";

    /** Five pre-registered devices of two models, made fresh for each test. */
    record Fleet(String tv, String box, String s1, String s2, String s3, String s4, String s5) {

        /** A request limited to this fleet's models, since other tests share the database. */
        RequestSpecification search() {
            return given().queryParam("model", List.of(tv, box));
        }
    }

    @Test
    void filters_by_model() {
        Fleet fleet = givenFleet();

        assertThat(serials(given().queryParam("model", fleet.tv())))
                .containsExactlyInAnyOrder(fleet.s1(), fleet.s2(), fleet.s5());
        assertThat(serials(fleet.search()))
                .containsExactlyInAnyOrder(fleet.s1(), fleet.s2(), fleet.s3(), fleet.s4(), fleet.s5());
        assertThat(count(given().queryParam("model", fleet.box()))).isEqualTo(2);
        assertThat(serials(given().queryParam("model", "no-such-model"))).isEmpty();
    }

    @Test
    void filters_by_region() {
        Fleet fleet = givenFleet();

        assertThat(serials(fleet.search().queryParam("region", "eu-west")))
                .containsExactlyInAnyOrder(fleet.s1(), fleet.s3(), fleet.s5());
        assertThat(serials(fleet.search().queryParam("region", List.of("eu-west", "us-east"))))
                .hasSize(5);
        assertThat(count(fleet.search().queryParam("region", "us-east"))).isEqualTo(2);
    }

    @Test
    void filters_by_tags_requiring_all_of_them() {
        Fleet fleet = givenFleet();

        assertThat(serials(fleet.search().queryParam("tag", "beta")))
                .containsExactlyInAnyOrder(fleet.s1(), fleet.s2(), fleet.s5());
        assertThat(serials(fleet.search().queryParam("tag", List.of("beta", "kitchen"))))
                .containsExactlyInAnyOrder(fleet.s1(), fleet.s5());
        assertThat(serials(fleet.search().queryParam("tag", List.of("beta", "kitchen", "lab"))))
                .containsExactly(fleet.s5());
        assertThat(count(fleet.search().queryParam("tag", List.of("kitchen", "lab"))))
                .isEqualTo(1);
    }

    @Test
    void filters_by_serial_status_and_presence() {
        Fleet fleet = givenFleet();

        assertThat(serials(given().queryParam("serial", fleet.s3()))).containsExactly(fleet.s3());
        assertThat(serials(given().queryParam("serial", List.of(fleet.s3(), fleet.s4()))))
                .containsExactlyInAnyOrder(fleet.s3(), fleet.s4());
        assertThat(count(fleet.search().queryParam("status", "PREREGISTERED"))).isEqualTo(5);
        assertThat(count(fleet.search().queryParam("status", "ACTIVE"))).isZero();
        assertThat(count(fleet.search().queryParam("online", false))).isEqualTo(5);
        assertThat(count(fleet.search().queryParam("online", true))).isZero();

        disable(Api.deviceIdOf(fleet.s4())).statusCode(200);

        assertThat(serials(fleet.search().queryParam("status", "DISABLED"))).containsExactly(fleet.s4());
        assertThat(count(fleet.search().queryParam("status", "PREREGISTERED"))).isEqualTo(4);
    }

    @Test
    void filters_by_firmware_of_provisioned_devices() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String firmware = Api.unique("7.3");
        String serial = Api.unique("SN");
        Api.preregister(model, Api.unique("SN"));
        ProvisionResponse provisioned = MqttDevices.provision(
                Api.createClaim(model, 1),
                Json.encode(new ProvisionRequest(UUID.randomUUID().toString(), serial, firmware)));
        assertThat(provisioned.isSuccess()).isTrue();

        assertThat(serials(given().queryParam("firmware", firmware))).containsExactly(serial);
        assertThat(serials(given().queryParam("model", model).queryParam("status", "ACTIVE")))
                .containsExactly(serial);
        assertThat(count(given().queryParam("model", model).queryParam("firmware", List.of(firmware, "0.0.1"))))
                .isEqualTo(1);
    }

    @Test
    void pages_through_every_device_once_in_id_order() {
        String model = Api.createModel(Api.unique("tv"));
        List<String> ids = new ArrayList<>(Api.preregister(
                model, Api.unique("SN"), Api.unique("SN"), Api.unique("SN"), Api.unique("SN"), Api.unique("SN")));

        List<String> seen = new ArrayList<>();
        int pages = 0;
        String after = null;
        do {
            RequestSpecification request = given().queryParam("model", model).queryParam("limit", 2);
            JsonPath page = (after == null ? request : request.queryParam("after", after))
                    .get(DEVICES)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.id"));
            after = page.getString("next");
            pages++;
        } while (after != null);

        ids.sort(null); // UUID text order is the database's uuid order
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void rejects_bad_paging_parameters() {
        given().queryParam("after", "not-a-cursor")
                .get(DEVICES)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_CURSOR"));
        given().queryParam("limit", 0).get(DEVICES).then().statusCode(400).body("code", equalTo("INVALID_LIMIT"));
        given().queryParam("limit", 5000).get(DEVICES).then().statusCode(400).body("code", equalTo("INVALID_LIMIT"));
        given().queryParam("limit", 1000).get(DEVICES).then().statusCode(200);
    }

    @Test
    void rejects_invalid_filter_values() {
        given().queryParam("tag", "a b").get(DEVICES).then().statusCode(400).body("code", equalTo("INVALID_FILTER"));
        given().queryParam("model", "bad model")
                .get(DEVICES + "/count")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_FILTER"));
        given().queryParam("status", "bogus")
                .get(DEVICES)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_FILTER"));
        given().queryParam("online", "maybe")
                .get(DEVICES)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_FILTER"));
        given().queryParam("region", "x".repeat(65))
                .get(DEVICES)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_FILTER"));
    }

    @Test
    void answers_unknown_or_malformed_device_id_with_not_found() {
        given().get(DEVICES + "/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().get(DEVICES + "/not-a-uuid").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        disable("not-a-uuid").statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void disables_enables_and_deletes_a_device() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        String id = Api.preregister(model, serial).get(0);

        disable(id).statusCode(200).body("status", equalTo("DISABLED"));
        Api.device(id).statusCode(200).body("status", equalTo("DISABLED"));
        given().post(DEVICES + "/" + id + "/enable").then().statusCode(200).body("status", equalTo("PREREGISTERED"));

        given().delete(DEVICES + "/" + id).then().statusCode(204);

        Api.device(id).statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().delete(DEVICES + "/" + id).then().statusCode(404);
        disable(id).statusCode(404);
        assertThat(serials(given().queryParam("serial", serial))).isEmpty();
    }

    @Test
    void registers_a_deleted_serial_again() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        String first = Api.preregister(model, serial).get(0);
        given().delete(DEVICES + "/" + first).then().statusCode(204);

        String second = Api.preregister(model, serial).get(0);

        assertThat(second).isNotEqualTo(first);
        Api.device(second).statusCode(200).body("serial", equalTo(serial)).body("createdAt", notNullValue());
    }

    @Test
    void keeps_devices_out_of_reach_of_other_tenants() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        String id = Api.preregister(model, serial).get(0);

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            Api.device(id).statusCode(404).body("code", equalTo("NOT_FOUND"));
            disable(id).statusCode(404);
            given().post(DEVICES + "/" + id + "/enable").then().statusCode(404);
            given().delete(DEVICES + "/" + id).then().statusCode(404);
            assertThat(serials(given().queryParam("serial", serial))).isEmpty();
        });

        Api.device(id).statusCode(200).body("status", equalTo("PREREGISTERED"));
    }

    private static Fleet givenFleet() {
        String tv = Api.createModel(Api.unique("tv"));
        String box = Api.createModel(Api.unique("box"));
        Fleet fleet = new Fleet(
                tv, box, Api.unique("SN"), Api.unique("SN"), Api.unique("SN"), Api.unique("SN"), Api.unique("SN"));
        Api.importCsv(String.join(
                        "\n",
                        "serial,model,region,tags",
                        fleet.s1() + "," + tv + ",eu-west,beta;kitchen",
                        fleet.s2() + "," + tv + ",us-east,beta",
                        fleet.s3() + "," + box + ",eu-west,kitchen",
                        fleet.s4() + "," + box + ",us-east,",
                        fleet.s5() + "," + tv + ",eu-west,beta;kitchen;lab"))
                .statusCode(200)
                .body("created", equalTo(5));
        return fleet;
    }

    private static List<String> serials(RequestSpecification search) {
        return search.get(DEVICES).then().statusCode(200).extract().path("items.serial");
    }

    private static long count(RequestSpecification search) {
        return search.get(DEVICES + "/count")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("count");
    }

    private static ValidatableResponse disable(String id) {
        return given().post(DEVICES + "/" + id + "/disable").then();
    }
}
