package io.fleetcast.platform.ota.rollout;

import static io.restassured.RestAssured.given;

import io.fleetcast.platform.device.PlatformNode;
import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.testing.Api;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A model with published firmware and registered devices, and short calls on rollouts. */
final class RolloutFixture {

    static final String ROLLOUTS = "/api/v1/rollouts";

    final String model;
    final Bundles bundles = new Bundles();
    private final Pool pool;
    private final RolloutEngine engine;

    RolloutFixture(Pool pool, RolloutEngine engine) throws Exception {
        this.pool = pool;
        this.engine = engine;
        model = Api.createModel(Api.unique("tv"));
        bundles.register(Api.unique("key")).statusCode(201);
        Bundles.publish(bundles.full("2.0.0", List.of(model), 4_000)).statusCode(201);
    }

    /** Pre-registers devices of the model and returns their ids in id order. */
    List<String> devices(int count) {
        String[] serials = new String[count];
        for (int i = 0; i < count; i++) {
            serials[i] = Api.unique("SN");
        }
        return Api.preregister(model, serials).stream().sorted().toList();
    }

    /** Presence as the gateway writes it for devices connected to this node. */
    void online(PlatformNode node, List<String> devices) {
        pool.preparedQuery("UPDATE devices SET online = true, node_id = $2 WHERE id = ANY($1)")
                .execute(Tuple.of(ids(devices), node.id()))
                .await()
                .indefinitely();
    }

    void firmware(String device, String version) {
        pool.preparedQuery("UPDATE devices SET firmware_version = $2 WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(device), version))
                .await()
                .indefinitely();
    }

    /** A rollout over the model's devices; {@code extra} adds or overrides request fields. */
    ValidatableResponse create(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "name",
                Api.unique("rollout"),
                "version",
                "2.0.0",
                "target",
                Map.of("filter", Map.of("models", List.of(model)))));
        body.putAll(extra);
        return given().contentType(ContentType.JSON).body(body).post(ROLLOUTS).then();
    }

    String created(Map<String, Object> extra) {
        return create(extra).statusCode(201).extract().path("id");
    }

    static ValidatableResponse command(String rollout, String command) {
        return given().post(ROLLOUTS + "/" + rollout + "/" + command).then();
    }

    static ValidatableResponse get(String rollout) {
        return given().get(ROLLOUTS + "/" + rollout).then();
    }

    static ValidatableResponse progress(String rollout) {
        return given().get(ROLLOUTS + "/" + rollout + "/progress").then().statusCode(200);
    }

    /** Actions of the rollout in a state, counted from the progress endpoint. */
    static long count(String rollout, String state) {
        Object n = progress(rollout).extract().path("states." + state);
        return n == null ? 0 : ((Number) n).longValue();
    }

    void tick(String rollout, Instant now) {
        engine.tick(UUID.fromString(rollout), now).await().indefinitely();
    }

    static UUID[] ids(List<String> devices) {
        return devices.stream().map(UUID::fromString).toArray(UUID[]::new);
    }
}
