package io.fleetcast.platform.ota.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetcast.platform.device.PlatformNode;
import io.fleetcast.platform.ota.Bundles;
import io.fleetcast.platform.ota.rollout.ReportBatchPlan;
import io.fleetcast.platform.ota.rollout.ReportWriter;
import io.fleetcast.platform.ota.rollout.RolloutEngine;
import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.protocol.OtaState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The rollout engine at scale: a rollout over a million registered devices. Not part of the normal
 * suite; run it with
 *
 * <pre>
 * ./mvnw -q verify -pl platform -Dtest=RolloutBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfleetcast.bench=true [-Dbench.devices=1000000]
 * </pre>
 *
 * It measures creating and starting the rollout (REST), the first notification tick, the sustained
 * rate of device reports through the same batch writer the MQTT handler feeds, and the latency of
 * the progress query. Results go to the log and to {@code target/rollout-benchmark.txt}; the plan of
 * one report batch per phase (EXPLAIN ANALYZE with buffers and WAL) to
 * {@code target/rollout-benchmark-plans.txt}. Each report phase also records the share of HOT updates,
 * the WAL written per report and the machine's load average, since the cores are shared.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@EnabledIfSystemProperty(named = "fleetcast.bench", matches = "true")
@TestSecurity(
        user = "bench",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = RolloutBenchmark.TENANT))
class RolloutBenchmark {

    static final String TENANT = "bench";

    private static final Logger LOG = Logger.getLogger(RolloutBenchmark.class);

    @Inject
    Pool pool;

    @Inject
    RolloutEngine engine;

    @Inject
    ReportWriter reports;

    @Inject
    PlatformNode node;

    @Inject
    io.fleetcast.platform.ota.OtaConfig config;

    private final List<String> results = new ArrayList<>();

    @Test
    void rollout_over_a_million_devices() throws Exception {
        int devices = Integer.getInteger("bench.devices", 1_000_000);
        String model = Api.createModel(Api.unique("tv"));
        Bundles bundles = new Bundles();
        bundles.register("bench").statusCode(201);
        Bundles.publish(bundles.full("2.0.0", List.of(model), 100_000)).statusCode(201);
        Bundles.publish(bundles.delta("2.0.0", "1.0.0", List.of(model), 10_000)).statusCode(201);

        long t = System.nanoTime();
        registerDevices(model, devices);
        record("register %,d devices (one INSERT ... SELECT, online on this node)", devices, t);

        t = System.nanoTime();
        String rollout = given().contentType("application/json")
                .body(Map.of(
                        "name",
                        "bench",
                        "version",
                        "2.0.0",
                        "target",
                        Map.of("filter", Map.of("models", List.of(model))),
                        "groups",
                        List.of(Map.of("percent", 1), Map.of("percent", 9), Map.of("percent", 90)),
                        "successThreshold",
                        95,
                        "errorThreshold",
                        20,
                        "errorMinSample",
                        100))
                .post("/api/v1/rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        long created = record("create rollout over %,d devices (POST /api/v1/rollouts)", devices, t);
        UUID id = UUID.fromString(rollout);

        t = System.nanoTime();
        given().post("/api/v1/rollouts/" + rollout + "/start").then().statusCode(200);
        engine.tick(id, Instant.now()).await().indefinitely();
        long started = record("start (POST start + tick to RUNNING)", devices, t);
        result(String.format("create + start: %,d ms (target <= 30,000 ms)", created + started));

        t = System.nanoTime();
        engine.tick(id, Instant.now()).await().indefinitely();
        record("first notification tick (5,000 assignments: select, mark NOTIFIED, delta chosen)", devices, t);

        // The rest as if notified over time; the report phases below then find every action in flight.
        t = System.nanoTime();
        pool.preparedQuery("UPDATE rollout_actions SET state = 'NOTIFIED', phase = 'SENT', notified_at = now()"
                        + " WHERE rollout_id = $1 AND phase = 'SCHEDULED'")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();
        record("mark the remaining actions NOTIFIED (one UPDATE, counters by trigger)", devices, t);

        UUID[] ids = deviceIds(id);
        // What the figures depend on, so that a run explains itself.
        result(String.format(
                "setup: %,d devices, %d available processors, report batch %d, writers %d, %s",
                devices,
                Runtime.getRuntime().availableProcessors(),
                config.reportBatchSize(),
                config.reportWriters(),
                pool.query("SELECT 'PostgreSQL ' || current_setting('server_version') || ', shared_buffers '"
                                + " || current_setting('shared_buffers') || ', synchronous_commit '"
                                + " || current_setting('synchronous_commit')")
                        .execute()
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getString(0)));
        List<String> plans = new ArrayList<>();
        for (OtaState state : List.of(OtaState.DOWNLOADING, OtaState.SUCCEEDED)) {
            // One batch of 5,000 random devices explained first (and rolled back): where its time goes.
            plans.add("-- one batch of 5,000 " + state + " reports, EXPLAIN (ANALYZE, BUFFERS, WAL), rolled back");
            plans.addAll(ReportBatchPlan.explain(
                    pool, TENANT, id, Arrays.asList(ids).subList(0, Math.min(5000, ids.length)), state));
            ingest(id, ids, state);
        }
        Files.write(Path.of("target", "rollout-benchmark-plans.txt"), plans);

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            given().get("/api/v1/rollouts/" + rollout + "/progress").then().statusCode(200);
            latencies.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        }
        latencies.sort(Long::compare);
        result(String.format(
                "progress query (GET .../progress over HTTP, 30 calls): p50 %.1f ms, p90 %.1f ms, max %.1f ms (target <= 200 ms)",
                latencies.get(15) / 1000.0, latencies.get(27) / 1000.0, latencies.get(29) / 1000.0));

        long succeeded = pool.preparedQuery(
                        "SELECT sum(n) FROM rollout_counts WHERE rollout_id = $1 AND state = 'SUCCEEDED'")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(succeeded).isEqualTo(ids.length);
        long actual = count("SELECT count(*) FROM rollout_actions WHERE rollout_id = $1 AND state = 'SUCCEEDED'", id);
        assertThat(actual).as("the counters agree with the rows").isEqualTo(succeeded);

        String report = String.join("\n", results);
        LOG.info("Rollout benchmark\n" + report);
        Files.writeString(Path.of("target", "rollout-benchmark.txt"), report + "\n");
    }

    /** Feeds one report per device through the batch writer and waits until the last is written. */
    private void ingest(UUID rollout, UUID[] ids, OtaState state) throws InterruptedException {
        Row before = tableStats();
        double loadBefore = loadAverage();
        long start = System.nanoTime();
        for (UUID device : ids) {
            ReportWriter.Report report = new ReportWriter.Report(TENANT, 1, state, null);
            while (!reports.accept(rollout, device, report)) {
                Thread.sleep(1); // the writer's bound: wait as a gateway would
            }
        }
        long accepted = System.nanoTime();
        await().atMost(Duration.ofHours(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> count(
                                "SELECT coalesce(sum(n), 0) FROM rollout_counts WHERE rollout_id = $1 AND state = '"
                                        + state.name() + "'",
                                rollout)
                        >= ids.length);
        long done = System.nanoTime();
        double seconds = (done - start) / 1e9;
        Row after = tableStats();
        long updates = after.getLong("upd") - before.getLong("upd");
        long hot = after.getLong("hot") - before.getLong("hot");
        result(String.format(
                "reports %s: %,d in %.1f s = %,.0f reports/s written (accepting took %.1f s) (target >= 20,000/s);"
                        + " %,d row updates, %.0f %% HOT; %.0f WAL bytes per report; load average %.1f before, %.1f after",
                state,
                ids.length,
                seconds,
                ids.length / seconds,
                (accepted - start) / 1e9,
                updates,
                updates == 0 ? 0.0 : 100.0 * hot / updates,
                (double) (after.getLong("wal") - before.getLong("wal")) / ids.length,
                loadBefore,
                loadAverage()));
    }

    /** Row updates and HOT updates of the action table so far, and the WAL position. */
    private Row tableStats() {
        // The statistics collector reports with a delay; a fresh snapshot is asked for explicitly.
        pool.query("SELECT pg_stat_clear_snapshot()").execute().await().indefinitely();
        return pool.query(
                        """
                        SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot,
                               pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS wal
                        FROM pg_stat_user_tables WHERE relname = 'rollout_actions'
                        """)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next();
    }

    /** The machine's one-minute load average: the benchmark shares the cores with whatever runs. */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private void registerDevices(String model, int devices) {
        pool.preparedQuery(
                        """
                        INSERT INTO devices (id, tenant_id, serial, model_id, firmware_version, online, node_id)
                        SELECT gen_random_uuid(), $1, 'B' || g, m.id, '1.0.0', true, $3
                        FROM generate_series(1, $2) g, device_models m WHERE m.tenant_id = $1 AND m.name = $4
                        """)
                .execute(Tuple.of(TENANT, devices, node.id(), model))
                .await()
                .indefinitely();
        // The audit log records bulk registrations as one event, as the importer does.
        pool.preparedQuery("INSERT INTO audit_events (id, tenant_id, actor, action, summary)"
                        + " VALUES (gen_random_uuid(), $1, 'bench', 'devices.imported', $2::text::jsonb)")
                .execute(Tuple.of(TENANT, "{\"count\": " + devices + "}"))
                .await()
                .indefinitely();
        pool.query("ANALYZE devices").execute().await().indefinitely();
    }

    private UUID[] deviceIds(UUID rollout) {
        List<UUID> ids = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT device_id FROM rollout_actions WHERE rollout_id = $1")
                .execute(Tuple.of(rollout))
                .await()
                .indefinitely()) {
            ids.add(row.getUUID(0));
        }
        UUID[] array = ids.toArray(UUID[]::new);
        // Reports arrive in no particular order.
        java.util.Collections.shuffle(Arrays.asList(array), new java.util.Random(1));
        return array;
    }

    private long count(String sql, UUID rollout) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(rollout))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private long record(String what, int devices, long startNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        result(String.format(what, devices) + ": " + String.format("%,d ms", millis));
        return millis;
    }

    /** Logged at once, so a run cut short still shows what it measured. */
    private void result(String line) {
        LOG.info("BENCH " + line);
        results.add(line);
    }
}
