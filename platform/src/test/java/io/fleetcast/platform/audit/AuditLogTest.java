package io.fleetcast.platform.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.Callers;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.protocol.ProvisionResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
class AuditLogTest {

    private static final String AUDIT = "/api/v1/audit";

    @Inject
    Pool pool;

    @Inject
    AuditRetention retention;

    @Inject
    AuditConfig config;

    @Test
    void records_model_changes_with_the_caller_and_the_changed_fields() {
        String name = Api.unique("tv");
        String id = createModel(model(name, "r1", List.of("4k")));
        given().contentType(ContentType.JSON)
                .body(model(name, "r2", List.of("4k", "hdr")))
                .put("/api/v1/models/" + id)
                .then()
                .statusCode(200);
        given().delete("/api/v1/models/" + id).then().statusCode(204);

        audit("targetId", id)
                .body("items.action", contains("model.deleted", "model.updated", "model.created"))
                .body("items.actor", everyItem(equalTo("maker")))
                .body("items.targetType", everyItem(equalTo("model")))
                .body("items.at", everyItem(notNullValue()))
                .body("items[2].summary.after.name", equalTo(name))
                .body("items[2].summary.after.deviceClass", equalTo("tv"))
                .body(
                        "items[1].summary.before",
                        equalTo(Map.of("hardwareRevision", "r1", "capabilities", List.of("4k"))))
                .body(
                        "items[1].summary.after",
                        equalTo(Map.of("hardwareRevision", "r2", "capabilities", List.of("4k", "hdr"))))
                .body("items[0].summary.before.name", equalTo(name));
        assertThat(tenantsOfEventsFor(id)).containsExactly(Tenants.ACME);
    }

    @Test
    void records_group_changes_and_member_changes() {
        List<String> devices = Api.preregister(Api.createModel(Api.unique("tv")), Api.unique("SN"), Api.unique("SN"));
        String name = Api.unique("lab");
        String group = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "kind", "STATIC"))
                .post("/api/v1/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String renamed = Api.unique("lab");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", renamed, "kind", "STATIC"))
                .put("/api/v1/groups/" + group)
                .then()
                .statusCode(200);
        members(group, "", devices.get(0), devices.get(1), UUID.randomUUID().toString())
                .statusCode(200);
        members(group, "/remove", devices.get(0)).statusCode(200);
        given().delete("/api/v1/groups/" + group).then().statusCode(204);

        audit("targetId", group)
                .body(
                        "items.action",
                        contains(
                                "group.deleted",
                                "group.members.removed",
                                "group.members.added",
                                "group.updated",
                                "group.created"))
                .body("items.actor", everyItem(equalTo("maker")))
                .body("items.targetType", everyItem(equalTo("group")))
                .body("items[4].summary.after", equalTo(Map.of("name", name, "kind", "STATIC")))
                .body("items[3].summary.before", equalTo(Map.of("name", name)))
                .body("items[3].summary.after", equalTo(Map.of("name", renamed)))
                .body("items[2].summary.count", equalTo(2))
                .body("items[2].summary.deviceIds", containsInAnyOrder(devices.toArray()))
                .body("items[1].summary.count", equalTo(1))
                .body("items[1].summary.deviceIds", contains(devices.get(0)))
                .body("items[0].summary.before.name", equalTo(renamed));
    }

    @Test
    void records_a_dynamic_groups_filter_before_and_after() {
        String model = Api.createModel(Api.unique("tv"));
        String group = given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("beta"), "kind", "DYNAMIC", "filter", Map.of("tags", List.of("beta"))))
                .post("/api/v1/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String name = given().get("/api/v1/groups/" + group).then().extract().path("name");
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name,
                        "kind",
                        "DYNAMIC",
                        "filter",
                        Map.of("tags", List.of("beta"), "models", List.of(model))))
                .put("/api/v1/groups/" + group)
                .then()
                .statusCode(200);

        audit("targetId", group, "action", "group.updated")
                .body("items", hasSize(1))
                .body("items[0].summary.before.filter", equalTo(Map.of("tags", List.of("beta"))))
                .body(
                        "items[0].summary.after.filter",
                        equalTo(Map.of("tags", List.of("beta"), "models", List.of(model))))
                .body("items[0].summary.before", not(hasKey("name")));
    }

    @Test
    void records_device_disable_enable_and_delete() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        String device = Api.preregister(model, serial).get(0);

        given().post("/api/v1/devices/" + device + "/disable").then().statusCode(200);
        given().post("/api/v1/devices/" + device + "/enable").then().statusCode(200);
        given().delete("/api/v1/devices/" + device).then().statusCode(204);

        audit("targetId", device)
                .body("items.action", contains("device.deleted", "device.enabled", "device.disabled"))
                .body("items.actor", everyItem(equalTo("maker")))
                .body("items.targetType", everyItem(equalTo("device")))
                .body("items[2].summary.before.enabled", equalTo(true))
                .body("items[2].summary.after.enabled", equalTo(false))
                .body("items[1].summary.after.enabled", equalTo(true))
                .body("items[0].summary.before", equalTo(Map.of("serial", serial, "model", model)));
        assertThat(tenantsOfEventsFor(device)).containsExactly(Tenants.ACME);
    }

    @Test
    void records_one_event_with_counts_for_a_bulk_import() {
        String tenant = Api.unique("importer");
        Callers.asAdminOf(tenant, () -> {
            String model = Api.createModel(Api.unique("tv"));
            Api.importCsv("serial,model\n" + Api.unique("SN") + "," + model + "\n" + Api.unique("SN") + "," + model
                            + "\n" + Api.unique("SN") + "," + model + "\nSN-x,no-such-model")
                    .statusCode(200)
                    .body("created", equalTo(3));
            // An atomic import with an error is rolled back, and so is its event.
            given().contentType("text/csv")
                    .body("serial,model\n" + Api.unique("SN") + "," + model + "\nSN-y,no-such-model")
                    .post("/api/v1/devices/import?atomic=true")
                    .then()
                    .statusCode(422);

            audit().body("items.action", contains("devices.imported", "model.created"));
            audit("action", "devices.imported")
                    .body("items[0].actor", equalTo(tenant + "-admin"))
                    .body("items[0].targetType", nullValue())
                    .body("items[0].targetId", nullValue())
                    .body(
                            "items[0].summary",
                            equalTo(Map.of("format", "text/csv", "rows", 4, "created", 3, "rejected", 1)));
        });
    }

    @Test
    void records_claim_creation_and_revocation_without_the_secret() {
        String model = Api.createModel(Api.unique("tv"));
        String token = Api.createClaim(model, 5);
        String claim = token.substring(0, token.indexOf('.'));
        given().post("/api/v1/claims/" + claim + "/revoke").then().statusCode(200);

        audit("targetId", claim)
                .body("items.action", contains("claim.revoked", "claim.created"))
                .body("items.actor", everyItem(equalTo("maker")))
                .body("items.targetType", everyItem(equalTo("claim")))
                .body("items[1].summary.after.model", equalTo(model))
                .body("items[1].summary.after.maxUses", equalTo(5))
                .body("items[1].summary.after.expiresAt", notNullValue())
                .body("items[1].summary.after", not(hasKey("token")))
                .body("items[0].summary.before", equalTo(nullMap("revokedAt")))
                .body("items[0].summary.after.revokedAt", notNullValue());
        assertThat(eventsContaining(token.substring(token.indexOf('.') + 1))).isZero();
        assertThat(tenantsOfEventsFor(claim)).containsExactly(Tenants.ACME);
    }

    @Test
    void records_provisioning_with_the_device_as_actor_and_never_its_credential() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String token = Api.createClaim(model, 5);
        String claim = token.substring(0, token.indexOf('.'));
        String serial = Api.unique("SN");
        String requestId = UUID.randomUUID().toString();

        ProvisionResponse first = MqttDevices.provision(token, serial, requestId);
        // A retry after a lost answer gets a new credential but is not a second provisioning.
        ProvisionResponse retried = MqttDevices.provision(token, serial, requestId);

        assertThat(retried.deviceId()).isEqualTo(first.deviceId());
        audit("targetId", first.deviceId())
                .body("items", hasSize(1))
                .body("items[0].action", equalTo("device.provisioned"))
                .body("items[0].actor", equalTo("device:" + serial))
                .body("items[0].targetType", equalTo("device"))
                .body(
                        "items[0].summary.after",
                        equalTo(Map.of(
                                "serial", serial, "model", model, "claimId", claim, "firmwareVersion", "1.0.0")));
        assertThat(tenantsOfEventsFor(first.deviceId())).containsExactly(Tenants.ACME);
        assertThat(eventsContaining(first.credential())).isZero();
        assertThat(eventsContaining(retried.credential())).isZero();
    }

    @Test
    void records_the_provisioning_of_a_preregistered_device() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        String device = Api.preregister(model, serial).get(0);

        MqttDevices.provisioned(Api.createClaim(model, 5), serial);

        audit("targetId", device)
                .body("items.action", contains("device.provisioned"))
                .body("items[0].actor", equalTo("device:" + serial));
    }

    @Test
    void records_nothing_for_failed_changes() {
        String tenant = Api.unique("failing");
        Callers.asAdminOf(tenant, () -> {
            String taken = Api.createModel(Api.unique("tv"));
            String other = createModel(model(Api.unique("tv"), "r1", List.of()));
            Api.preregister(taken, Api.unique("SN"));
            String unknown = UUID.randomUUID().toString();

            post("/api/v1/models", model(taken, "r1", List.of())).statusCode(409);
            put("/api/v1/models/" + other, model(taken, "r1", List.of())).statusCode(409);
            put("/api/v1/models/" + unknown, model(Api.unique("tv"), "r1", List.of()))
                    .statusCode(404);
            given().delete("/api/v1/models/" + unknown).then().statusCode(404);
            given().delete("/api/v1/models/" + idOfModel(taken)).then().statusCode(409);
            given().post("/api/v1/devices/" + unknown + "/disable").then().statusCode(404);
            given().post("/api/v1/devices/" + unknown + "/enable").then().statusCode(404);
            given().delete("/api/v1/devices/" + unknown).then().statusCode(404);
            post("/api/v1/claims", Map.of("model", "no-such-model", "maxUses", 5))
                    .statusCode(400);
            given().post("/api/v1/claims/" + unknown + "/revoke").then().statusCode(404);
            post("/api/v1/groups/" + unknown + "/members", Map.of("deviceIds", List.of(unknown)))
                    .statusCode(404);
            given().delete("/api/v1/groups/" + unknown).then().statusCode(404);

            audit().body("items.action", contains("devices.imported", "model.created", "model.created"));
        });
    }

    @Test
    void records_nothing_for_calls_that_change_nothing() {
        String model = Api.createModel(Api.unique("tv"));
        String device = Api.preregister(model, Api.unique("SN")).get(0);
        String token = Api.createClaim(model, 5);
        String claim = token.substring(0, token.indexOf('.'));
        String group = given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("lab"), "kind", "STATIC"))
                .post("/api/v1/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Object> sameModel = model(model, "r1", List.of("4k"));

        for (int i = 0; i < 2; i++) {
            given().post("/api/v1/devices/" + device + "/disable").then().statusCode(200);
            given().post("/api/v1/claims/" + claim + "/revoke").then().statusCode(200);
            members(group, "", device).statusCode(200);
            put("/api/v1/models/" + idOfModel(model), sameModel).statusCode(200);
        }

        audit("targetId", device).body("items.action", contains("device.disabled"));
        audit("targetId", claim).body("items.action", contains("claim.revoked", "claim.created"));
        audit("targetId", group).body("items.action", contains("group.members.added", "group.created"));
        audit("targetId", idOfModel(model)).body("items.action", contains("model.created"));
    }

    @Test
    void makes_no_change_whose_event_cannot_be_written() throws Exception {
        String tenant = Api.unique("atomic");
        String model = Callers.asAdminOf(tenant, () -> Api.createModel(Api.unique("tv")));
        String modelId = Callers.asAdminOf(tenant, () -> idOfModel(model));
        String device = Callers.asAdminOf(
                tenant, () -> Api.preregister(model, Api.unique("SN")).get(0));
        String other = Callers.asAdminOf(
                tenant, () -> Api.preregister(model, Api.unique("SN")).get(0));
        String token = Callers.asAdminOf(tenant, () -> Api.createClaim(model, 5));
        String claim = token.substring(0, token.indexOf('.'));
        String group = Callers.asAdminOf(
                tenant, () -> post("/api/v1/groups", Map.of("name", Api.unique("lab"), "kind", "STATIC"))
                        .statusCode(201)
                        .extract()
                        .path("id"));
        String refusedSerial = Api.unique("SN");
        sql("ALTER TABLE audit_events ADD CONSTRAINT test_refuses_saboteur"
                + " CHECK (actor NOT IN ('saboteur', 'device:" + refusedSerial + "'))");
        try {
            Callers.as("saboteur", tenant, () -> {
                post("/api/v1/models", model(Api.unique("tv"), "r1", List.of())).statusCode(500);
                put("/api/v1/models/" + modelId, model(Api.unique("tv"), "r9", List.of()))
                        .statusCode(500);
                post("/api/v1/groups", Map.of("name", Api.unique("lab"), "kind", "STATIC"))
                        .statusCode(500);
                members(group, "", device).statusCode(500);
                given().post("/api/v1/devices/" + device + "/disable").then().statusCode(500);
                given().delete("/api/v1/devices/" + other).then().statusCode(500);
                Api.importCsv("serial,model\n" + Api.unique("SN") + "," + model).statusCode(500);
                post("/api/v1/claims", Map.of("model", model, "maxUses", 5)).statusCode(500);
                given().post("/api/v1/claims/" + claim + "/revoke").then().statusCode(500);
                given().delete("/api/v1/groups/" + group).then().statusCode(500);
            });
            ProvisionResponse refused = MqttDevices.provision(token, refusedSerial);
            assertThat(refused.isSuccess()).isFalse();
        } finally {
            sql("ALTER TABLE audit_events DROP CONSTRAINT test_refuses_saboteur");
        }

        Callers.asAdminOf(tenant, () -> {
            given().get("/api/v1/models").then().body("id", contains(modelId)).body("hardwareRevision", contains("r1"));
            given().get("/api/v1/groups").then().body("id", contains(group));
            given().get("/api/v1/groups/" + group + "/devices/count").then().body("count", equalTo(0));
            given().get("/api/v1/devices/count").then().body("count", equalTo(2));
            Api.device(device).statusCode(200).body("status", equalTo("PREREGISTERED"));
            given().get("/api/v1/claims").then().body("id", contains(claim));
            given().get("/api/v1/claims/" + claim)
                    .then()
                    .body("revokedAt", nullValue())
                    .body("uses", equalTo(0));
            audit().body("items.actor", not(hasItem("saboteur")));
        });
    }

    @Test
    void filters_by_action_actor_target_and_time() {
        String tenant = Api.unique("filtered");
        String first = Callers.as("alice", tenant, () -> createModel(model(Api.unique("tv"), "r1", List.of())));
        Instant between = Instant.now();
        String second = Callers.as("bob", tenant, () -> createModel(model(Api.unique("tv"), "r1", List.of())));
        Callers.as("bob", tenant, () -> given().delete("/api/v1/models/" + first)
                .then()
                .statusCode(204));

        Callers.asAdminOf(tenant, () -> {
            audit("action", "model.created").body("items.targetId", contains(second, first));
            audit("action", "model.deleted").body("items.targetId", contains(first));
            audit("actor", "alice").body("items.targetId", contains(first));
            audit("actor", "bob").body("items.action", contains("model.deleted", "model.created"));
            audit("actor", "bob", "action", "model.created").body("items.targetId", contains(second));
            audit("targetType", "model", "targetId", first)
                    .body("items.action", contains("model.deleted", "model.created"));
            audit("targetType", "device").body("items", empty());
            audit("to", between.toString()).body("items.actor", contains("alice"));
            audit("from", between.toString()).body("items.actor", contains("bob", "bob"));
            audit("from", between.minusSeconds(3600).toString(), "to", between.toString(), "actor", "alice")
                    .body("items.targetId", contains(first));
        });
    }

    @Test
    void rejects_bad_filters_cursors_and_limits_with_stable_codes() {
        auditQuery("action", "model.exploded").statusCode(400).body("code", equalTo("INVALID_FILTER"));
        auditQuery("targetType", "planet").statusCode(400).body("code", equalTo("INVALID_FILTER"));
        auditQuery("from", "yesterday").statusCode(400).body("code", equalTo("INVALID_FILTER"));
        auditQuery("to", "2026-13-01T00:00:00Z").statusCode(400).body("code", equalTo("INVALID_FILTER"));
        auditQuery("from", "2026-11-20T10:00:00Z", "to", "2026-11-20T09:00:00Z")
                .statusCode(400)
                .body("code", equalTo("INVALID_FILTER"));
        auditQuery("actor", "x".repeat(257)).statusCode(400).body("code", equalTo("INVALID_FILTER"));
        auditQuery("before", "not-a-cursor").statusCode(400).body("code", equalTo("INVALID_CURSOR"));
        auditQuery("limit", "0").statusCode(400).body("code", equalTo("INVALID_LIMIT"));
        auditQuery("limit", "1001").statusCode(400).body("code", equalTo("INVALID_LIMIT"));
        auditQuery("limit", "many").statusCode(400).body("code", equalTo("INVALID_LIMIT"));
    }

    @Test
    void pages_newest_first_with_before() {
        String tenant = Api.unique("paged");
        Callers.asAdminOf(tenant, () -> {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                created.add(createModel(model(Api.unique("tv"), "r1", List.of())));
            }

            JsonPath first = audit("limit", "2").extract().jsonPath();
            JsonPath second = audit("limit", "2", "before", first.getString("next"))
                    .extract()
                    .jsonPath();
            JsonPath third = audit("limit", "2", "before", second.getString("next"))
                    .extract()
                    .jsonPath();

            assertThat(first.getList("items")).hasSize(2);
            assertThat(second.getList("items")).hasSize(2);
            assertThat(third.getList("items")).hasSize(1);
            assertThat(third.getString("next")).isNull();
            List<String> ids = new ArrayList<>(first.getList("items.id"));
            ids.addAll(second.getList("items.id"));
            ids.addAll(third.getList("items.id"));
            assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> UUID.fromString(b)
                    .compareTo(UUID.fromString(a)));
            List<String> targets = new ArrayList<>(first.getList("items.targetId"));
            targets.addAll(second.getList("items.targetId"));
            targets.addAll(third.getList("items.targetId"));
            assertThat(targets).containsExactlyInAnyOrderElementsOf(created);
            audit("limit", "5").body("next", nullValue());
        });
    }

    @Test
    void never_shows_one_tenants_events_to_another() {
        String id = createModel(model(Api.unique("tv"), "r1", List.of()));

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            audit("targetId", id).body("items", empty());
            audit("actor", "maker").body("items", empty());
        });
        audit("targetId", id).body("items", hasSize(1));
    }

    @Test
    @TestSecurity(
            user = "operator",
            roles = "operator",
            attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
    void refuses_operators() {
        auditQuery().statusCode(403).body("code", equalTo("FORBIDDEN"));
    }

    @Test
    @TestSecurity(
            user = "root",
            roles = "platform-admin",
            attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
    void lets_platform_admins_read() {
        auditQuery().statusCode(200);
    }

    @Test
    void purge_deletes_only_events_older_than_the_retention() {
        String tenant = Api.unique("retained");
        List<String> models = Callers.asAdminOf(
                tenant,
                () -> List.of(
                        createModel(model(Api.unique("tv"), "r1", List.of())),
                        createModel(model(Api.unique("tv"), "r1", List.of())),
                        createModel(model(Api.unique("tv"), "r1", List.of())),
                        createModel(model(Api.unique("tv"), "r1", List.of())),
                        createModel(model(Api.unique("tv"), "r1", List.of()))));
        Instant expired = Instant.now().minus(config.retention());
        // More expired events than one purge statement deletes in the test profile.
        age(models.get(0), expired.minus(Duration.ofDays(30)));
        age(models.get(1), expired.minus(Duration.ofDays(2)));
        age(models.get(2), expired.minus(Duration.ofDays(1)));
        age(models.get(3), expired.plus(Duration.ofDays(1)));

        retention.purge().await().indefinitely();

        Callers.asAdminOf(tenant, () -> {
            audit().body("items.targetId", containsInAnyOrder(models.get(3), models.get(4)));
            // Models whose creation was purged from the log would look unrecorded to the
            // reconciliation test; their deletion is recorded.
            models.forEach(id -> given().delete("/api/v1/models/" + id).then().statusCode(204));
        });
    }

    private List<String> tenantsOfEventsFor(String targetId) {
        List<String> tenants = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT DISTINCT tenant_id FROM audit_events WHERE target_id = $1")
                .execute(Tuple.of(targetId))
                .await()
                .indefinitely()) {
            tenants.add(row.getString(0));
        }
        return tenants;
    }

    /** How many events anywhere mention the text in their summary. */
    private long eventsContaining(String text) {
        return pool.preparedQuery("SELECT count(*) FROM audit_events WHERE strpos(summary::text, $1) > 0")
                .execute(Tuple.of(text))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    /** Makes the target's events as old as events made then: both their id and their time. */
    private void age(String targetId, Instant at) {
        pool.preparedQuery("UPDATE audit_events SET id = $2, at = $3 WHERE target_id = $1")
                .execute(Tuple.of(targetId, Ids.lowestAt(at), OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .await()
                .indefinitely();
    }

    /** The caller's events that match the filters (name, value pairs), newest first; expects 200. */
    private static ValidatableResponse audit(String... params) {
        return auditQuery(params).statusCode(200);
    }

    private static ValidatableResponse auditQuery(String... params) {
        Map<String, String> query = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            query.put(params[i], params[i + 1]);
        }
        return given().queryParams(query).get(AUDIT).then();
    }

    private static Map<String, Object> model(String name, String hardwareRevision, List<String> capabilities) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name);
        model.put("deviceClass", "tv");
        model.put("hardwareRevision", hardwareRevision);
        model.put("capabilities", capabilities);
        return model;
    }

    private static String createModel(Map<String, Object> model) {
        return post("/api/v1/models", model).statusCode(201).extract().path("id");
    }

    private static String idOfModel(String name) {
        List<Map<String, Object>> models =
                given().get("/api/v1/models").then().statusCode(200).extract().path("");
        return models.stream()
                .filter(model -> name.equals(model.get("name")))
                .map(model -> (String) model.get("id"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no model named " + name));
    }

    private static ValidatableResponse members(String group, String path, String... deviceIds) {
        return post("/api/v1/groups/" + group + "/members" + path, Map.of("deviceIds", List.of(deviceIds)));
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    private static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then();
    }

    private static ValidatableResponse put(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).put(path).then();
    }

    private static Map<String, Object> nullMap(String key) {
        Map<String, Object> map = new HashMap<>();
        map.put(key, null);
        return map;
    }
}
