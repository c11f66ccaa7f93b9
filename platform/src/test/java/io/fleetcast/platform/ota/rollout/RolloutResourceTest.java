package io.fleetcast.platform.ota.rollout;

import static io.fleetcast.platform.ota.rollout.RolloutFixture.command;
import static io.fleetcast.platform.ota.rollout.RolloutFixture.count;
import static io.fleetcast.platform.ota.rollout.RolloutFixture.get;
import static io.fleetcast.platform.ota.rollout.RolloutFixture.progress;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.fleetcast.platform.device.PlatformNode;
import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.Callers;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.protocol.OtaState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollouts through the REST API, with the scheduler tick driven by the test at times it chooses.
 * Devices are registered ones; "connected" devices have the presence the gateway writes, so the tick
 * notifies them (no MQTT session takes the message here, see {@code RolloutMqttTest} for that).
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class RolloutResourceTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Inject
    Pool pool;

    @Inject
    RolloutEngine engine;

    @Inject
    ReportWriter reports;

    @Inject
    OtaMetrics metrics;

    @Inject
    PlatformNode node;

    private RolloutFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RolloutFixture(pool, engine);
    }

    @Test
    void creates_a_rollout_in_groups_and_leaves_out_devices_it_cannot_update() {
        List<String> devices = fixture.devices(10);
        fixture.firmware(devices.get(0), "2.0.0");
        String box = Api.createModel(Api.unique("box"));
        Api.preregister(box, Api.unique("SN"), Api.unique("SN"));

        String rollout = fixture.created(Map.of(
                "target", Map.of("filter", Map.of("models", List.of(fixture.model, box))),
                "groups", List.of(Map.of("percent", 20), Map.of("count", 3), Map.of("percent", 100))));

        get(rollout)
                .statusCode(200)
                .body("state", equalTo("READY"))
                .body("totalDevices", equalTo(9))
                .body("skippedDevices", equalTo(3))
                .body("createdBy", equalTo("maker"));
        progress(rollout)
                .body("groups.size", contains(2, 3, 4))
                .body("groups.state", contains("READY", "READY", "READY"))
                .body("states.SCHEDULED", equalTo(9));
    }

    @Test
    void refuses_bad_requests_with_stable_codes() {
        fixture.devices(1);
        fixture.create(Map.of("version", "9.9.9")).statusCode(422).body("code", equalTo("UNKNOWN_FIRMWARE"));
        fixture.create(Map.of("successThreshold", 0)).statusCode(400).body("code", equalTo("INVALID_THRESHOLD"));
        fixture.create(Map.of("errorThreshold", 101)).statusCode(400).body("code", equalTo("INVALID_THRESHOLD"));
        fixture.create(Map.of("maintenanceWindow", Map.of("cron", "0 2 * *", "durationMinutes", 60)))
                .statusCode(400)
                .body("code", equalTo("INVALID_CRON"));
        fixture.create(Map.of("target", Map.of("groupId", UUID.randomUUID().toString())))
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_GROUP"));
        fixture.create(Map.of("target", Map.of())).statusCode(400).body("code", equalTo("INVALID_TARGET"));
        fixture.create(Map.of("rate", Map.of("maxPerMinute", 0)))
                .statusCode(400)
                .body("code", equalTo("INVALID_RATE"));
        get(UUID.randomUUID().toString()).statusCode(404).body("code", equalTo("NOT_FOUND"));
        String rollout = fixture.created(Map.of());
        command(rollout, "pause").statusCode(409).body("code", equalTo("ILLEGAL_STATE_CHANGE"));
        command(rollout, "resume").statusCode(409).body("code", equalTo("ILLEGAL_STATE_CHANGE"));
        command(rollout, "approve").statusCode(409).body("code", equalTo("ILLEGAL_STATE_CHANGE"));
    }

    @Test
    void a_rollout_that_needs_approval_starts_only_after_it() {
        fixture.devices(2);
        String rollout = fixture.created(Map.of("approvalRequired", true));
        get(rollout).body("state", equalTo("WAITING_FOR_APPROVAL"));

        command(rollout, "start").statusCode(409).body("code", equalTo("ILLEGAL_STATE_CHANGE"));
        command(rollout, "approve")
                .statusCode(200)
                .body("state", equalTo("READY"))
                .body("approvedBy", equalTo("maker"));
        command(rollout, "start").statusCode(200).body("state", equalTo("STARTING"));
        fixture.tick(rollout, T0);

        get(rollout).body("state", equalTo("RUNNING"));
        progress(rollout).body("groups[0].state", equalTo("RUNNING"));
    }

    @Test
    void starts_by_itself_at_its_start_time() {
        fixture.devices(1);
        String rollout = fixture.created(Map.of("startAt", T0.plusSeconds(3600).toString()));

        fixture.tick(rollout, T0);
        get(rollout).body("state", equalTo("READY"));
        fixture.tick(rollout, T0.plusSeconds(3600));
        get(rollout).body("state", equalTo("STARTING"));
        fixture.tick(rollout, T0.plusSeconds(3601));
        get(rollout).body("state", equalTo("RUNNING"));
    }

    @Test
    void notifies_connected_devices_under_the_rate_limit() {
        List<String> devices = fixture.devices(30);
        fixture.online(node, devices.subList(0, 25));
        // 60 a minute: the bucket holds ten seconds' worth, 10 notifications.
        String rollout = started(Map.of("rate", Map.of("maxPerMinute", 60)));

        fixture.tick(rollout, T0);
        assertThat(count(rollout, "NOTIFIED")).isEqualTo(10);
        fixture.tick(rollout, T0.plusSeconds(5));
        assertThat(count(rollout, "NOTIFIED")).isEqualTo(15);
        fixture.tick(rollout, T0.plusSeconds(3600));
        assertThat(count(rollout, "NOTIFIED")).isEqualTo(25);
        assertThat(count(rollout, "SCHEDULED")).as("offline devices wait").isEqualTo(5);
        get(rollout).body("notifiedDevices", equalTo(25));
    }

    @Test
    void notifies_only_inside_the_maintenance_window() {
        List<String> devices = fixture.devices(2);
        fixture.online(node, devices);
        String rollout = started(
                Map.of("maintenanceWindow", Map.of("cron", "0 2 * * *", "durationMinutes", 60, "timeZone", "UTC")));

        fixture.tick(rollout, T0.plus(Duration.ofHours(1)));
        assertThat(count(rollout, "NOTIFIED")).isZero();
        fixture.tick(rollout, T0.plus(Duration.ofMinutes(150)));
        assertThat(count(rollout, "NOTIFIED")).isEqualTo(2);
    }

    @Test
    void times_out_stuck_devices_and_retries_them_after_a_backoff() {
        List<String> devices = fixture.devices(2);
        fixture.online(node, devices);
        String rollout =
                started(Map.of("inProgressTimeoutMinutes", 1, "retries", Map.of("max", 1, "backoffSeconds", 60)));
        fixture.tick(rollout, T0);
        assertThat(count(rollout, "NOTIFIED")).isEqualTo(2);

        fixture.tick(rollout, T0.plusSeconds(120));
        assertThat(count(rollout, "SCHEDULED"))
                .as("timed out, waiting for the retry")
                .isEqualTo(2);
        given().get(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions/" + devices.get(0))
                .then()
                .body("attempt", equalTo(2))
                .body("errorCode", equalTo("TIMEOUT"));
        fixture.tick(rollout, T0.plusSeconds(150));
        assertThat(count(rollout, "NOTIFIED")).as("still backing off").isZero();
        fixture.tick(rollout, T0.plusSeconds(181));
        assertThat(count(rollout, "NOTIFIED")).isEqualTo(2);

        fixture.tick(rollout, T0.plusSeconds(400));
        assertThat(count(rollout, "TIMED_OUT")).as("no attempts left").isEqualTo(2);
        fixture.tick(rollout, T0.plusSeconds(401));
        get(rollout).body("state", equalTo("FINISHED"));
        progress(rollout).body("groups[0].state", equalTo("ERROR"));
    }

    @Test
    void applies_legal_reports_and_refuses_illegal_ones() {
        List<String> devices = fixture.devices(3);
        fixture.online(node, devices);
        String rollout = started(Map.of());
        fixture.tick(rollout, T0);
        UUID id = UUID.fromString(rollout);
        double illegalBefore = metrics.illegalTransitions();
        double unknownBefore = metrics.unknownReports();
        double appliedBefore = metrics.reportsApplied();

        report(id, devices.get(0), 1, OtaState.DOWNLOADING);
        report(id, devices.get(1), 1, OtaState.SUCCEEDED);
        await().untilAsserted(() -> assertThat(count(rollout, "SUCCEEDED")).isEqualTo(1));
        report(id, devices.get(1), 1, OtaState.DOWNLOADING);
        report(id, devices.get(2), 7, OtaState.DOWNLOADING);
        report(UUID.randomUUID(), devices.get(2), 1, OtaState.DOWNLOADING);
        reports.accept(
                id, UUID.fromString(devices.get(2)), new ReportWriter.Report(Tenants.GLOBEX, 1, OtaState.FAILED, "X"));

        await().untilAsserted(() -> assertThat(metrics.illegalTransitions()).isEqualTo(illegalBefore + 1));
        // The foreign report may have been merged with the stale one (same action key) before a flush.
        await().untilAsserted(() -> assertThat(metrics.unknownReports()).isGreaterThanOrEqualTo(unknownBefore + 2));
        await().until(() -> reports.pending() == 0);
        assertThat(metrics.reportsApplied()).isEqualTo(appliedBefore + 2);
        assertThat(count(rollout, "DOWNLOADING")).isEqualTo(1);
        assertThat(count(rollout, "SUCCEEDED"))
                .as("a finished action stays finished")
                .isEqualTo(1);
        assertThat(count(rollout, "NOTIFIED"))
                .as("stale, unknown and foreign reports change nothing")
                .isEqualTo(1);
    }

    @Test
    void the_timeout_sweep_keeps_successes_and_failures_are_listed() {
        List<String> devices = fixture.devices(3);
        fixture.online(node, devices);
        String rollout = started(Map.of("inProgressTimeoutMinutes", 1));
        fixture.tick(rollout, T0);
        UUID id = UUID.fromString(rollout);

        report(id, devices.get(0), 1, OtaState.DOWNLOADING);
        report(id, devices.get(0), 1, OtaState.SUCCEEDED);
        reports.accept(
                id, UUID.fromString(devices.get(1)), new ReportWriter.Report(Tenants.ACME, 1, OtaState.FAILED, "E42"));
        await().untilAsserted(() -> {
            assertThat(count(rollout, "SUCCEEDED")).isEqualTo(1);
            assertThat(count(rollout, "FAILED")).isEqualTo(1);
        });
        assertThat(phases(rollout, devices))
                .as("a success stays SENT (a HOT update); a failure leaves it")
                .containsExactly("SENT", "UNSUCCESSFUL", "SENT");

        fixture.tick(rollout, T0.plusSeconds(120));
        assertThat(count(rollout, "SUCCEEDED")).isEqualTo(1);
        assertThat(count(rollout, "TIMED_OUT")).isEqualTo(1);
        assertThat(phases(rollout, devices))
                .as("the sweep put the success aside")
                .containsExactly("SETTLED", "UNSUCCESSFUL", "UNSUCCESSFUL");
        given().queryParam("state", "FAILED")
                .get(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions")
                .then()
                .statusCode(200)
                .body("items.deviceId", contains(devices.get(1)))
                .body("items[0].errorCode", equalTo("E42"));
        assertCountersAgreeWithRows(id);
    }

    @Test
    void cancels_one_devices_action() {
        List<String> devices = fixture.devices(2);
        String rollout = fixture.created(Map.of());

        given().post(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions/" + devices.get(0) + "/cancel")
                .then()
                .statusCode(200)
                .body("state", equalTo("CANCELED"));
        given().post(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions/" + devices.get(0) + "/cancel")
                .then()
                .statusCode(409)
                .body("code", equalTo("ACTION_FINISHED"));
        given().post(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions/" + UUID.randomUUID() + "/cancel")
                .then()
                .statusCode(404);
        given().queryParam("state", "CANCELED")
                .get(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions")
                .then()
                .statusCode(200)
                .body("items.deviceId", contains(devices.get(0)));
    }

    @Test
    void a_canceled_rollout_stops_once_devices_in_flight_ended() {
        List<String> devices = fixture.devices(3);
        fixture.online(node, devices.subList(0, 1));
        String rollout = started(Map.of());
        fixture.tick(rollout, T0);

        command(rollout, "cancel").statusCode(200).body("state", equalTo("STOPPING"));
        assertThat(count(rollout, "CANCELED")).isEqualTo(2);
        given().get(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions/" + devices.get(0))
                .then()
                .body("cancelRequested", equalTo(true));
        report(UUID.fromString(rollout), devices.get(0), 1, OtaState.CANCELED);
        await().untilAsserted(() -> assertThat(count(rollout, "CANCELED")).isEqualTo(3));
        fixture.tick(rollout, T0.plusSeconds(10));

        get(rollout).body("state", equalTo("STOPPED"));
        command(rollout, "start").statusCode(409).body("code", equalTo("ILLEGAL_STATE_CHANGE"));
    }

    @Test
    void streams_progress_as_server_sent_events_until_the_rollout_ends() {
        fixture.devices(2);
        String rollout = fixture.created(Map.of());
        command(rollout, "cancel").statusCode(200).body("state", equalTo("STOPPED"));

        String events = given().accept("text/event-stream")
                .get(RolloutFixture.ROLLOUTS + "/" + rollout + "/events")
                .then()
                .statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract()
                .asString();

        assertThat(events).startsWith("data:").contains("\"state\":\"STOPPED\"").contains("\"CANCELED\":2");
    }

    @Test
    void another_tenants_rollout_does_not_exist_for_the_caller() {
        fixture.devices(1);
        String rollout = fixture.created(Map.of());

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            get(rollout).statusCode(404);
            command(rollout, "cancel").statusCode(404);
            given().get(RolloutFixture.ROLLOUTS + "/" + rollout + "/progress")
                    .then()
                    .statusCode(404);
            given().get(RolloutFixture.ROLLOUTS + "/" + rollout + "/events")
                    .then()
                    .statusCode(404);
        });
    }

    @Test
    void targets_only_the_callers_own_devices() {
        fixture.devices(2);
        String foreignModel = Callers.asAdminOf(Tenants.GLOBEX, () -> {
            String model = Api.createModel(Api.unique("tv"));
            Api.preregister(model, Api.unique("SN"));
            return model;
        });

        String rollout = fixture.created(Map.of("target", Map.of("filter", Map.of())));

        get(rollout).body("totalDevices", equalTo(countDevicesOfTenantWithModelBundle()));
        assertThat(foreignModel).isNotBlank();
    }

    @Test
    void lists_rollouts_newest_first_page_by_page() {
        fixture.devices(1);
        String first = fixture.created(Map.of());
        String second = fixture.created(Map.of());
        String third = fixture.created(Map.of());

        var page = given().queryParam("limit", 2)
                .get(RolloutFixture.ROLLOUTS)
                .then()
                .statusCode(200)
                .extract();
        assertThat(page.<List<String>>path("items.id")).containsExactly(third, second);
        given().queryParam("limit", 2)
                .queryParam("after", page.<String>path("next"))
                .get(RolloutFixture.ROLLOUTS)
                .then()
                .statusCode(200)
                .body("items[0].id", equalTo(first));
    }

    @Test
    void targets_a_static_group() {
        List<String> devices = fixture.devices(3);
        String group = given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("lab"), "kind", "STATIC"))
                .post("/api/v1/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().contentType(ContentType.JSON)
                .body(Map.of("deviceIds", devices.subList(0, 2)))
                .post("/api/v1/groups/" + group + "/members")
                .then()
                .statusCode(200);

        String rollout = fixture.created(Map.of("target", Map.of("groupId", group)));

        get(rollout).body("totalDevices", equalTo(2));
        given().get(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions")
                .then()
                .body("items.deviceId", hasSize(2))
                .body("items.deviceId", contains(devices.get(0), devices.get(1)));
    }

    @Test
    void a_dynamic_rollout_takes_devices_that_match_later() {
        fixture.devices(1);
        String rollout = started(Map.of("dynamic", true));
        get(rollout).body("totalDevices", equalTo(1));

        fixture.devices(2);
        fixture.tick(rollout, T0);

        get(rollout).body("totalDevices", equalTo(3)).body("state", equalTo("RUNNING"));
    }

    @Test
    void picks_a_delta_for_the_installed_version_and_the_full_image_otherwise() throws Exception {
        List<String> devices = fixture.devices(2);
        fixture.firmware(devices.get(0), "1.0.0");
        fixture.firmware(devices.get(1), "1.5.0");
        Bundles.publish(fixture.bundles.delta("2.0.0", "1.0.0", List.of(fixture.model), 500))
                .statusCode(201);
        fixture.online(node, devices);
        String rollout = started(Map.of());

        fixture.tick(rollout, T0);

        assertThat(baseVersionOfChosenBundle(rollout, devices.get(0))).isEqualTo("1.0.0");
        assertThat(baseVersionOfChosenBundle(rollout, devices.get(1)))
                .as("full image")
                .isNull();
    }

    private int countDevicesOfTenantWithModelBundle() {
        return pool.preparedQuery(
                        """
                        SELECT count(*) FROM devices d WHERE d.tenant_id = $1 AND d.firmware_version IS DISTINCT FROM '2.0.0'
                          AND EXISTS (SELECT 1 FROM firmware_bundles b WHERE b.tenant_id = $1 AND b.model_id = d.model_id
                                      AND b.version = '2.0.0' AND b.base_version IS NULL)
                        """)
                .execute(Tuple.of(Tenants.ACME))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0)
                .intValue();
    }

    private String baseVersionOfChosenBundle(String rollout, String device) {
        return pool.preparedQuery(
                        "SELECT b.base_version FROM rollout_actions a JOIN firmware_bundles b ON b.id = a.bundle_id"
                                + " WHERE a.rollout_id = $1 AND a.device_id = $2")
                .execute(Tuple.of(UUID.fromString(rollout), UUID.fromString(device)))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
    }

    /** Creates, starts and ticks a rollout into RUNNING at T0 (the first tick opens its first group). */
    private String started(Map<String, Object> extra) {
        String rollout = fixture.created(extra);
        command(rollout, "start").statusCode(200);
        fixture.tick(rollout, T0);
        get(rollout).body("state", equalTo("RUNNING"));
        return rollout;
    }

    /** The phases of the rollout's actions, in the order of the given devices. */
    private List<String> phases(String rollout, List<String> devices) {
        Map<String, String> phases = new java.util.HashMap<>();
        pool.preparedQuery("SELECT device_id::text, phase FROM rollout_actions WHERE rollout_id = $1")
                .execute(Tuple.of(UUID.fromString(rollout)))
                .await()
                .indefinitely()
                .forEach(row -> phases.put(row.getString(0), row.getString(1)));
        return devices.stream().map(phases::get).toList();
    }

    private void assertCountersAgreeWithRows(UUID rollout) {
        long disagreeing = pool.preparedQuery(
                        """
                        SELECT count(*) FROM (
                            SELECT group_no, state, n FROM rollout_counts WHERE rollout_id = $1 AND n <> 0
                            EXCEPT
                            SELECT group_no, state, count(*) FROM rollout_actions WHERE rollout_id = $1 GROUP BY 1, 2
                        ) x
                        """)
                .execute(Tuple.of(rollout))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(disagreeing)
                .as("counter rows that disagree with the actions")
                .isZero();
    }

    private void report(UUID rollout, String device, int attempt, OtaState state) {
        reports.accept(rollout, UUID.fromString(device), new ReportWriter.Report(Tenants.ACME, attempt, state, null));
    }
}
