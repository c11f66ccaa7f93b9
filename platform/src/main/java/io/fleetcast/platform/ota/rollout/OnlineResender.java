package io.fleetcast.platform.ota.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcast.platform.device.DeviceOnline;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Sends a device that comes back online what it missed: the assignment of an action in flight (it may
 * have lost it with its session) or the cancel of one that was canceled meanwhile. Devices that come
 * online are collected and looked up in batches, so a reconnect storm of 100,000 devices costs a few
 * dozen queries. Devices whose action is still SCHEDULED are left to the scheduler tick, which keeps
 * the rate limit and window.
 */
@ApplicationScoped
public class OnlineResender {

    private static final Logger LOG = Logger.getLogger(OnlineResender.class);

    private static final int BATCH = 5000;
    private static final long INTERVAL_MILLIS = 250;

    private static final String PENDING_FOR =
            """
            SELECT a.device_id, a.rollout_id, a.attempt, a.cancel_requested, b.sha256, b.size, b.base_version,
                   r.spec::text AS spec
            FROM rollout_actions a
            JOIN rollouts r ON r.id = a.rollout_id
            LEFT JOIN firmware_bundles b ON b.id = a.bundle_id
            WHERE a.device_id = ANY($1) AND a.phase = 'SENT' AND a.state IN %s AND r.state IN ('RUNNING', 'PAUSED', 'STOPPING')
            """
                    .formatted(RolloutService.inList(ActionStateMachine.IN_FLIGHT));

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    Assignments assignments;

    @Inject
    ObjectMapper json;

    private final Set<UUID> online = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();

    void onStart(@Observes StartupEvent event) {
        vertx.setPeriodic(INTERVAL_MILLIS, id -> flush());
    }

    void deviceOnline(@ObservesAsync DeviceOnline event) {
        online.add(event.deviceId());
    }

    void flush() {
        if (online.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        List<UUID> batch = new ArrayList<>(Math.min(online.size(), BATCH));
        for (UUID device : online) {
            if (batch.size() == BATCH) {
                break;
            }
            if (online.remove(device)) {
                batch.add(device);
            }
        }
        pool.preparedQuery(PENDING_FOR)
                .execute(Tuple.of(batch.toArray(UUID[]::new)))
                .subscribe()
                .with(
                        rows -> {
                            running.set(false);
                            resend(rows);
                        },
                        failure -> {
                            running.set(false);
                            LOG.error("Looking up OTA actions of devices that came online failed", failure);
                        });
    }

    private void resend(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        Map<String, RolloutSpec> specs = new HashMap<>();
        for (Row row : rows) {
            UUID device = row.getUUID("device_id");
            UUID rollout = row.getUUID("rollout_id");
            int attempt = row.getShort("attempt");
            if (row.getBoolean("cancel_requested")) {
                assignments.cancel(device, rollout, attempt);
                continue;
            }
            if (row.getString("sha256") == null) {
                continue;
            }
            RolloutSpec spec = specs.computeIfAbsent(row.getString("spec"), this::decode);
            assignments.send(
                    new Assignments.Pending(
                            device,
                            rollout,
                            attempt,
                            row.getString("sha256"),
                            row.getLong("size"),
                            row.getString("base_version")),
                    spec);
        }
    }

    private RolloutSpec decode(String spec) {
        try {
            return json.readValue(spec, RolloutSpec.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored rollout spec does not decode", e);
        }
    }
}
