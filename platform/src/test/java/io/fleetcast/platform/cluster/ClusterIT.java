package io.fleetcast.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetcast.platform.database.EmbeddedDatabase;
import io.fleetcast.platform.testing.NatsServerProcess;
import io.fleetcast.platform.testing.PlatformProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two platform nodes, each its own process from the packaged application, share one PostgreSQL and
 * one real nats-server, and real MQTT clients connect to either. Verifies that the nodes form one
 * routing space: broadcasts and wildcards across nodes, retained messages, sessions that move,
 * shared subscriptions balanced over the cluster, and a node that dies.
 *
 * <p>Routes reach NATS asynchronously after a SUBACK, as in any clustered broker, so tests first
 * publish probes until the receivers see one ({@link #awaitRoutes}); what they then assert does not
 * depend on timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SESSION_TAKEN_OVER = 0x8E;

    private final AtomicInteger probes = new AtomicInteger();

    private Path workDir;
    private EmbeddedDatabase database;
    private NatsServerProcess nats;
    private PlatformProcess nodeA;
    private PlatformProcess nodeB;
    private PlatformProcess nodeC;

    @BeforeAll
    void startCluster() throws Exception {
        workDir = Files.createDirectories(Path.of("target", "cluster-it"));
        nats = NatsServerProcess.start(workDir.resolve("nats-server.log"));
        database = EmbeddedDatabase.start(workDir.resolve("postgres"), true);
        // One at a time: the first runs the database migrations.
        nodeA = PlatformProcess.start("node-a", workDir.resolve("node-a"), nodeSettings());
        nodeB = PlatformProcess.start("node-b", workDir.resolve("node-b"), nodeSettings());
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (PlatformProcess node : new PlatformProcess[] {nodeA, nodeB, nodeC}) {
            if (node != null && node.isAlive()) {
                node.stop();
            }
        }
        if (nats != null) {
            nats.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void a_broadcast_published_on_either_node_reaches_subscribers_on_both_once() throws Exception {
        String topic = "tv/channel/7";
        try (MqttClient viewerA =
                        MqttClient.connect(nodeA.mqttUri(), "viewer-a").subscribe(topic, 1);
                MqttClient viewerB =
                        MqttClient.connect(nodeB.mqttUri(), "viewer-b").subscribe(topic, 1);
                MqttClient publisherA = MqttClient.connect(nodeA.mqttUri(), "publisher-a");
                MqttClient publisherB = MqttClient.connect(nodeB.mqttUri(), "publisher-b")) {
            awaitRoutes(publisherA, topic, viewerA, viewerB);
            awaitRoutes(publisherB, topic, viewerA, viewerB);

            publisherA.publish(topic, "from-a", 1, false);
            publisherB.publish(topic, "from-b", 1, false);
            // A later message from the same publisher: once it arrived, any duplicate would have too.
            publisherA.publish(topic, "end-a", 1, false);
            publisherB.publish(topic, "end-b", 1, false);

            for (MqttClient viewer : new MqttClient[] {viewerA, viewerB}) {
                await().atMost(WAIT).until(() -> viewer.count("end-a") == 1 && viewer.count("end-b") == 1);
                assertThat(viewer.count("from-a")).isEqualTo(1);
                assertThat(viewer.count("from-b")).isEqualTo(1);
            }
        }
        assertThat(nodeA.metric("fleetcast_cluster_messages_forwarded_total")).isPositive();
        assertThat(nodeB.metric("fleetcast_cluster_messages_received_total")).isPositive();
    }

    @Test
    @Order(2)
    void wildcard_subscriptions_match_across_nodes_with_one_copy_per_subscription() throws Exception {
        try (MqttClient plus = MqttClient.connect(nodeB.mqttUri(), "wild-plus").subscribe("fleet/+/status", 1);
                MqttClient hash =
                        MqttClient.connect(nodeB.mqttUri(), "wild-hash").subscribe("fleet/#", 1);
                MqttClient publisher = MqttClient.connect(nodeA.mqttUri(), "wild-publisher")) {
            awaitRoutes(publisher, "fleet/probe/status", plus, hash);

            publisher.publish("fleet/tv-9/status", "tv-9", 1, false);
            publisher.publish("fleet", "parent", 1, false); // "fleet/#" also matches "fleet"
            publisher.publish("fleet/a.b c*>/status", "odd-level", 1, false); // NATS-special characters
            publisher.publish("fleet/end/status", "end", 1, false);

            await().atMost(WAIT).until(() -> plus.count("end") == 1 && hash.count("end") == 1);
            assertThat(plus.payloads()).contains("tv-9", "odd-level").doesNotContain("parent");
            assertThat(hash.payloads()).contains("tv-9", "parent", "odd-level");
            for (MqttClient client : new MqttClient[] {plus, hash}) {
                assertThat(client.count("tv-9")).isEqualTo(1);
                assertThat(client.count("odd-level")).isEqualTo(1);
            }
            assertThat(plus.received())
                    .filteredOn(r -> r.payload().equals("odd-level"))
                    .extracting(MqttClient.Received::topic)
                    .containsExactly("fleet/a.b c*>/status");
        }
    }

    @Test
    @Order(3)
    void a_retained_message_published_on_one_node_is_given_to_a_later_subscriber_on_the_other() throws Exception {
        try (MqttClient marker =
                        MqttClient.connect(nodeB.mqttUri(), "retained-marker").subscribe("fleet/marker", 1);
                MqttClient publisher = MqttClient.connect(nodeA.mqttUri(), "retained-publisher")) {
            awaitRoutes(publisher, "fleet/marker", marker);
            publisher.publish("config/tv/channels", "lineup-1", 1, true);
            // Node B takes NATS messages from one publisher in order: once the marker is through, the
            // retained message is stored on B.
            publisher.publish("fleet/marker", "after-retained", 1, false);
            await().atMost(WAIT).until(() -> marker.count("after-retained") == 1);

            try (MqttClient late =
                    MqttClient.connect(nodeB.mqttUri(), "late-viewer").subscribe("config/#", 1)) {
                await().atMost(WAIT).until(() -> late.count("lineup-1") == 1);
                assertThat(late.received().get(0).retained()).isTrue();
            }
        }
    }

    @Test
    @Order(4)
    void a_persistent_session_resumes_on_the_other_node_with_its_subscription_and_queued_message() throws Exception {
        String clientId = "tv-persist-" + UUID.randomUUID();
        String inbox = "fleet/" + clientId + "/inbox";
        try (MqttClient publisherB = MqttClient.connect(nodeB.mqttUri(), "persist-publisher-b");
                MqttClient publisherA = MqttClient.connect(nodeA.mqttUri(), "persist-publisher-a");
                MqttClient observerA =
                        MqttClient.connect(nodeA.mqttUri(), "persist-observer").subscribe("fleet/marker2", 1)) {
            MqttClient first =
                    MqttClient.connect(nodeA.mqttUri(), clientId, true, 600).subscribe(inbox, 1);
            awaitRoutes(publisherB, inbox, first);
            awaitRoutes(publisherB, "fleet/marker2", observerA);
            first.disconnect(); // the session stays on node A, offline
            first.close();

            publisherB.publish(inbox, "queued-while-away", 1, false);
            // Same publisher, then a marker to node A: once it arrived, A has queued the message above.
            publisherB.publish("fleet/marker2", "after-queued", 1, false);
            await().atMost(WAIT).until(() -> observerA.count("after-queued") == 1);

            try (MqttClient resumed = MqttClient.connect(nodeB.mqttUri(), clientId, false, 600)) {
                assertThat(resumed.sessionPresent()).isTrue();
                await().atMost(WAIT).until(() -> resumed.count("queued-while-away") == 1);
                // The subscription moved too: the device did not subscribe again on node B.
                awaitRoutes(publisherA, inbox, resumed);
            }
        }
        assertThat(nodeA.metric("fleetcast_cluster_takeovers_out_total")).isGreaterThanOrEqualTo(1);
        assertThat(nodeB.metric("fleetcast_cluster_takeovers_in_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(5)
    void a_second_connection_with_the_same_client_id_on_the_other_node_takes_the_session_over() throws Exception {
        String clientId = "tv-live-" + UUID.randomUUID();
        MqttClient first = MqttClient.connect(nodeA.mqttUri(), clientId);
        try (MqttClient second = MqttClient.connect(nodeB.mqttUri(), clientId)) {
            assertThat(first.disconnectedWith.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo(SESSION_TAKEN_OVER);
            assertThat(second.isConnected()).isTrue();
        } finally {
            first.close();
        }
    }

    @Test
    @Order(6)
    void a_shared_subscription_gets_each_message_once_across_the_cluster() throws Exception {
        String shared = "$share/workers/jobs/+";
        try (MqttClient workerA =
                        MqttClient.connect(nodeA.mqttUri(), "worker-a").subscribe(shared, 1);
                MqttClient workerB1 =
                        MqttClient.connect(nodeB.mqttUri(), "worker-b1").subscribe(shared, 1);
                MqttClient workerB2 =
                        MqttClient.connect(nodeB.mqttUri(), "worker-b2").subscribe(shared, 1);
                MqttClient publisher = MqttClient.connect(nodeA.mqttUri(), "job-publisher")) {
            awaitRoutes(publisher, "jobs/probe", workerA, workerB1, workerB2);

            int jobs = 30;
            for (int i = 0; i < jobs; i++) {
                publisher.publish("jobs/render", "job-" + i, 1, false);
            }

            List<MqttClient> workers = List.of(workerA, workerB1, workerB2);
            await().atMost(WAIT)
                    .until(() -> workers.stream()
                                    .flatMap(w -> w.payloads().stream())
                                    .filter(p -> p.startsWith("job-"))
                                    .distinct()
                                    .count()
                            == jobs);
            for (int i = 0; i < jobs; i++) {
                String job = "job-" + i;
                assertThat(workers.stream().mapToLong(w -> w.count(job)).sum())
                        .as(job + " delivered to one member of the group")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    @Order(7)
    void a_killed_node_loses_its_routes_and_the_survivor_keeps_serving() throws Exception {
        String topic = "fleet/alive";
        try (MqttClient onA = MqttClient.connect(nodeA.mqttUri(), "alive-a").subscribe(topic, 1);
                MqttClient onB = MqttClient.connect(nodeB.mqttUri(), "alive-b").subscribe(topic, 1);
                MqttClient publisherB = MqttClient.connect(nodeB.mqttUri(), "alive-publisher")) {
            awaitRoutes(publisherB, topic, onA, onB);
            publisherB.publish("config/kill/test", "kept-by-b", 1, true);
            assertThat(numberIn(nats.monitor("connz"), "num_connections")).isEqualTo(4); // two per node
            int subscriptionsBefore = numberIn(nats.monitor("subsz"), "num_subscriptions");

            nodeA.kill();

            // NATS notices the closed sockets and drops node A's connections and every route with them.
            await().atMost(WAIT).until(() -> numberIn(nats.monitor("connz"), "num_connections") == 2);
            assertThat(numberIn(nats.monitor("subsz"), "num_subscriptions")).isLessThan(subscriptionsBefore);

            publisherB.publish(topic, "after-kill", 1, false);
            await().atMost(WAIT).until(() -> onB.count("after-kill") == 1);
            assertThat(onA.count("after-kill")).isZero();
            assertThat(nodeB.get("/q/health/ready").statusCode()).isEqualTo(200);
            assertThat(nodeB.metric("fleetcast_cluster_messages_failed_total")).isZero();
            assertThat(nodeB.metric("fleetcast_cluster_takeovers_failed_total")).isZero();
        }

        // A node that starts now takes the retained messages from the survivor.
        nodeC = PlatformProcess.start("node-c", workDir.resolve("node-c"), nodeSettings());
        try (MqttClient joiner = MqttClient.connect(nodeC.mqttUri(), "joiner").subscribe("config/kill/#", 1)) {
            await().atMost(WAIT).until(() -> joiner.count("kept-by-b") == 1);
        }
        // And its devices are reachable from the survivor.
        try (MqttClient onC = MqttClient.connect(nodeC.mqttUri(), "alive-c").subscribe("fleet/alive", 1);
                MqttClient publisherB = MqttClient.connect(nodeB.mqttUri(), "alive-publisher-2")) {
            awaitRoutes(publisherB, "fleet/alive", onC);
        }
    }

    @Test
    @Order(8)
    void a_node_is_not_ready_while_nats_is_away_and_routes_again_once_it_is_back() throws Exception {
        nats.kill();
        await().atMost(WAIT).until(() -> nodeB.get("/q/health/ready").statusCode() == 503);
        // Devices on the node are still served among themselves.
        try (MqttClient local =
                        MqttClient.connect(nodeB.mqttUri(), "outage-local").subscribe("fleet/outage", 1);
                MqttClient publisher = MqttClient.connect(nodeB.mqttUri(), "outage-publisher")) {
            publisher.publish("fleet/outage", "local-only", 1, false);
            await().atMost(WAIT).until(() -> local.count("local-only") == 1);
        }

        nats.startAgain();
        await().atMost(WAIT)
                .until(() -> nodeB.get("/q/health/ready").statusCode() == 200
                        && nodeC.get("/q/health/ready").statusCode() == 200);
        try (MqttClient onC =
                        MqttClient.connect(nodeC.mqttUri(), "after-outage-c").subscribe("fleet/back", 1);
                MqttClient publisherB = MqttClient.connect(nodeB.mqttUri(), "after-outage-publisher")) {
            awaitRoutes(publisherB, "fleet/back", onC);
        }
    }

    /** Publishes QoS 0 probes on the topic until every receiver got one: their nodes' routes are in place. */
    private void awaitRoutes(MqttClient publisher, String topic, MqttClient... receivers) {
        String prefix = "probe-" + probes.incrementAndGet() + "-";
        AtomicInteger sent = new AtomicInteger();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            publisher.publish(topic, prefix + sent.incrementAndGet(), 0, false);
            for (MqttClient receiver : receivers) {
                if (receiver.payloads().stream().noneMatch(p -> p.startsWith(prefix))) {
                    return false;
                }
            }
            return true;
        });
    }

    private Map<String, String> nodeSettings() {
        Map<String, String> settings = new HashMap<>();
        database.connectionProperties()
                .forEach((key, value) -> settings.put(key.toUpperCase().replace('.', '_'), value));
        settings.put("FLEETCAST_CLUSTER_NATS_URL", nats.url());
        // Generous: build machines run several builds at once, and a takeover or retained transfer
        // that times out would fail the test for a reason that is not the cluster's.
        settings.put("FLEETCAST_CLUSTER_REQUEST_TIMEOUT", "20s");
        return settings;
    }

    private static int numberIn(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(matcher.find()).as(field + " in " + json).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
