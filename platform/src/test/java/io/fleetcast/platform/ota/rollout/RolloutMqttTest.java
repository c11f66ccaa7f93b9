package io.fleetcast.platform.ota.rollout;

import static io.fleetcast.platform.ota.rollout.RolloutFixture.command;
import static io.fleetcast.platform.ota.rollout.RolloutFixture.count;
import static io.fleetcast.platform.ota.rollout.RolloutFixture.get;
import static io.fleetcast.platform.ota.rollout.RolloutFixture.progress;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rollout driven end to end over MQTT: real Paho devices, provisioned by claim, receive their
 * {@link OtaAssignment}s on {@code d/<id>/o} and publish {@link OtaReport}s on {@code d/<id>/op}.
 * Three groups; the second trips the error threshold and pauses the rollout; after the resume the
 * rollout finishes.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class RolloutMqttTest {

    private static final Instant T0 = Instant.parse("2030-06-01T00:00:00Z");

    @Inject
    RolloutEngine engine;

    private final List<Device> devices = new ArrayList<>();

    /** One connected device and what it received. */
    record Device(
            String id, MqttDevices.Identity identity, MqttAsyncClient client, BlockingQueue<OtaAssignment> inbox) {

        OtaAssignment next() throws InterruptedException {
            OtaAssignment assignment = inbox.poll(20, TimeUnit.SECONDS);
            assertThat(assignment).as("assignment for %s", id).isNotNull();
            return assignment;
        }

        void report(OtaAssignment assignment, OtaState state, String errorCode) throws Exception {
            OtaReport report = new OtaReport(assignment.actionId(), state, null, null, null, errorCode, null);
            assertThat(MqttDevices.publishQos1(client, Topics.otaReport(id), Json.encode(report)))
                    .isZero();
        }
    }

    @AfterEach
    void disconnect() throws Exception {
        for (Device device : devices) {
            MqttDevices.close(device.client());
        }
    }

    @Test
    void drives_a_rollout_through_three_groups_with_an_error_pause_and_a_resume() throws Exception {
        String model = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        bundles.register(Api.unique("key")).statusCode(201);
        Bundles.publish(bundles.full("2.0.0", List.of(model), 20_000)).statusCode(201);
        Bundles.publish(bundles.delta("2.0.0", "1.0.0", List.of(model), 2_000)).statusCode(201);
        String claim = Api.createClaim(model, 10);
        for (int i = 0; i < 10; i++) {
            devices.add(connect(MqttDevices.provisioned(claim, Api.unique("SN"))));
        }
        devices.sort(Comparator.comparing(Device::id));
        await().untilAsserted(() -> given().queryParam("model", model)
                .queryParam("online", true)
                .get("/api/v1/devices/count")
                .then()
                .body("count", equalTo(10)));

        String rollout = given().contentType("application/json")
                .body(Map.of(
                        "name",
                        "three waves",
                        "version",
                        "2.0.0",
                        "target",
                        Map.of("filter", Map.of("models", List.of(model))),
                        "groups",
                        List.of(Map.of("count", 2), Map.of("count", 3), Map.of("percent", 100)),
                        "successThreshold",
                        30,
                        "errorThreshold",
                        30,
                        "errorMinSample",
                        4))
                .post(RolloutFixture.ROLLOUTS)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        command(rollout, "start").statusCode(200);
        tick(rollout, T0);
        tick(rollout, T0.plusSeconds(5));

        // Group 1: two devices get a delta from the version they reported at provisioning.
        List<Device> first = devices.subList(0, 2);
        List<OtaAssignment> firstAssignments = new ArrayList<>();
        for (Device device : first) {
            OtaAssignment assignment = device.next();
            assertThat(assignment.version()).isEqualTo("2.0.0");
            assertThat(assignment.delta()).isTrue();
            assertThat(assignment.baseVersion()).isEqualTo("1.0.0");
            firstAssignments.add(assignment);
        }
        assertResumableDownload(firstAssignments.get(0));
        for (int i = 0; i < first.size(); i++) {
            first.get(i).report(firstAssignments.get(i), OtaState.DOWNLOADING, null);
            first.get(i).report(firstAssignments.get(i), OtaState.INSTALLING, null);
            first.get(i).report(firstAssignments.get(i), OtaState.SUCCEEDED, null);
        }
        await().untilAsserted(() -> assertThat(count(rollout, "SUCCEEDED")).isEqualTo(2));
        assertNothingFor(devices.subList(2, 10));

        // Group 2: two devices fail, one is still downloading: 2 errors of 4 finished trips the threshold.
        tick(rollout, T0.plusSeconds(10));
        List<Device> second = devices.subList(2, 5);
        List<OtaAssignment> secondAssignments = new ArrayList<>();
        for (Device device : second) {
            secondAssignments.add(device.next());
        }
        second.get(0).report(secondAssignments.get(0), OtaState.FAILED, "HASH_MISMATCH");
        second.get(1).report(secondAssignments.get(1), OtaState.FAILED, "HEALTH_CHECK_FAILED");
        second.get(2).report(secondAssignments.get(2), OtaState.DOWNLOADING, null);
        await().untilAsserted(() -> {
            assertThat(count(rollout, "FAILED")).isEqualTo(2);
            assertThat(count(rollout, "DOWNLOADING")).isEqualTo(1);
        });
        tick(rollout, T0.plusSeconds(15));
        get(rollout).body("state", equalTo("PAUSED")).body("pauseReason", equalTo("ERROR_THRESHOLD"));
        tick(rollout, T0.plusSeconds(20));
        assertNothingFor(devices.subList(5, 10));

        // Resumed, the last device of group 2 succeeds: 1 of 3 meets the 30 % success threshold.
        command(rollout, "resume").statusCode(200).body("state", equalTo("RUNNING"));
        tick(rollout, T0.plusSeconds(25));
        get(rollout).body("state", equalTo("RUNNING"));
        second.get(2).report(secondAssignments.get(2), OtaState.SUCCEEDED, null);
        await().untilAsserted(() -> assertThat(count(rollout, "SUCCEEDED")).isEqualTo(3));
        tick(rollout, T0.plusSeconds(30));

        // Group 3: one device loses its session and gets its assignment again when it is back.
        List<Device> third = new ArrayList<>(devices.subList(5, 10));
        List<OtaAssignment> thirdAssignments = new ArrayList<>();
        for (Device device : third) {
            thirdAssignments.add(device.next());
        }
        Device flaky = third.get(0);
        MqttDevices.close(flaky.client());
        Device back = connect(flaky.identity());
        devices.set(devices.indexOf(flaky), back);
        third.set(0, back);
        assertThat(back.next().actionId()).isEqualTo(thirdAssignments.get(0).actionId());
        for (int i = 0; i < third.size(); i++) {
            third.get(i).report(thirdAssignments.get(i), OtaState.SUCCEEDED, null);
        }
        await().untilAsserted(() -> assertThat(count(rollout, "SUCCEEDED")).isEqualTo(8));
        // A report that goes backwards is refused (and counted), and changes nothing.
        third.get(1).report(thirdAssignments.get(1), OtaState.DOWNLOADING, null);
        tick(rollout, T0.plusSeconds(35));

        get(rollout).body("state", equalTo("FINISHED"));
        progress(rollout)
                .body("groups.state", contains("FINISHED", "FINISHED", "FINISHED"))
                .body("states.SUCCEEDED", equalTo(8))
                .body("states.FAILED", equalTo(2));
        given().queryParam("state", "FAILED")
                .get(RolloutFixture.ROLLOUTS + "/" + rollout + "/actions")
                .then()
                .body(
                        "items.errorCode",
                        contains(
                                second.get(0).id().compareTo(second.get(1).id()) < 0
                                        ? "HASH_MISMATCH"
                                        : "HEALTH_CHECK_FAILED",
                                second.get(0).id().compareTo(second.get(1).id()) < 0
                                        ? "HEALTH_CHECK_FAILED"
                                        : "HASH_MISMATCH"));
    }

    /** The assignment's signed URL serves the bundle to the device without a token, from any offset. */
    private static void assertResumableDownload(OtaAssignment assignment) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(assignment.bundleUrl()))
                                .header("Range", "bytes=100-199")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).hasSize(100);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + assignment.bundleSize());
    }

    private void tick(String rollout, Instant now) {
        engine.tick(UUID.fromString(rollout), now).await().indefinitely();
    }

    private static void assertNothingFor(List<Device> waiting) {
        for (Device device : waiting) {
            assertThat(device.inbox())
                    .as("no assignment for %s yet", device.id())
                    .isEmpty();
        }
    }

    private static Device connect(MqttDevices.Identity identity) throws Exception {
        BlockingQueue<OtaAssignment> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient client = MqttDevices.connect(
                identity.deviceId(), identity.deviceId(), identity.credential(), new MqttDevices.Callback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        inbox.add(Json.decode(message.getPayload(), OtaAssignment.class));
                    }
                });
        assertThat(MqttDevices.subscribe(client, Topics.ota(identity.deviceId()), 1))
                .isLessThan(3);
        return new Device(identity.deviceId(), identity, client, inbox);
    }
}
