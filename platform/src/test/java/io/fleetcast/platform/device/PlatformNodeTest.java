package io.fleetcast.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.MqttDevices.Identity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class PlatformNodeTest {

    @Inject
    PlatformNode node;

    @Inject
    Pool pool;

    @Test
    void records_which_node_holds_a_connected_device() throws Exception {
        Identity identity =
                MqttDevices.provisioned(Api.createClaim(Api.createModel(Api.unique("tv")), 5), Api.unique("SN"));
        MqttAsyncClient device = MqttDevices.connect(identity);

        await().atMost(Duration.ofSeconds(10)).until(() -> nodeOf(identity.deviceId()), node.id()::equals);

        MqttDevices.close(device);
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeOf(identity.deviceId()) == null);
    }

    @Test
    void writes_the_devices_of_a_lost_node_offline() throws Exception {
        Identity identity =
                MqttDevices.provisioned(Api.createClaim(Api.createModel(Api.unique("tv")), 5), Api.unique("SN"));
        String ghost = "ghost-" + UUID.randomUUID();
        // A node that died ten minutes ago, still shown as holding this device.
        sql(
                "INSERT INTO platform_nodes (id, heartbeat_at) VALUES ($1, now() - interval '10 minutes')",
                Tuple.of(ghost));
        sql(
                "UPDATE devices SET online = true, node_id = $2 WHERE id = $1",
                Tuple.of(UUID.fromString(identity.deviceId()), ghost));

        int swept = node.beat().await().atMost(Duration.ofSeconds(10));

        assertThat(swept).isGreaterThanOrEqualTo(1);
        Api.device(identity.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("NODE_LOST"));
        assertThat(pool.preparedQuery("SELECT count(*) FROM platform_nodes WHERE id = $1")
                        .execute(Tuple.of(ghost))
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getLong(0))
                .isZero();
    }

    @Test
    void never_sweeps_a_live_node() {
        node.beat().await().atMost(Duration.ofSeconds(10));

        long live = pool.preparedQuery("SELECT count(*) FROM platform_nodes WHERE id = $1")
                .execute(Tuple.of(node.id()))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(live).isEqualTo(1);
    }

    private String nodeOf(String deviceId) {
        Row row = pool.preparedQuery("SELECT node_id FROM devices WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(deviceId)))
                .await()
                .indefinitely()
                .iterator()
                .next();
        return row.getString("node_id");
    }

    private void sql(String statement, Tuple params) {
        pool.preparedQuery(statement).execute(params).await().indefinitely();
    }
}
