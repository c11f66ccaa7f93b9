package io.fleetcast.platform.device;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Writes presence (online, last seen, disconnect reason) and reported state in batches. Each device
 * has at most one pending presence change and one pending state, the latest, so memory is bounded by
 * the devices connected to this node; a flush is one set-based UPDATE per kind. When 100,000 devices
 * reconnect at once the database sees a few hundred statements, not 100,000.
 *
 * <p>Methods are called from event loops and never block.
 */
@ApplicationScoped
public class DeviceActivity {

    private static final Logger LOG = Logger.getLogger(DeviceActivity.class);

    private static final String UPDATE_PRESENCE =
            """
            UPDATE devices d
               SET online = u.online, last_seen = u.at,
                   last_disconnect_reason = coalesce(u.reason, d.last_disconnect_reason),
                   node_id = CASE WHEN u.online THEN $5 END
            FROM unnest($1::uuid[], $2::boolean[], $3::timestamptz[], $4::text[]) AS u(id, online, at, reason)
            WHERE d.id = u.id
            """;

    private static final String UPDATE_STATE =
            """
            UPDATE devices d
               SET reported = u.reported::jsonb, firmware_version = u.firmware, active_slot = u.slot,
                   last_seen = greatest(d.last_seen, u.at)
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                 AS u(id, reported, firmware, slot, at)
            WHERE d.id = u.id
            """;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    ActivityConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    PlatformNode node;

    private final Map<UUID, Presence> presence = new ConcurrentHashMap<>();
    private final Map<UUID, Reported> states = new ConcurrentHashMap<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private Timer flushTimer;
    private long timerId = -1;

    /** Configuration of presence and state writes. */
    @ConfigMapping(prefix = "fleetcast.activity")
    public interface ActivityConfig {

        /** How often pending changes are written, in milliseconds. */
        @WithDefault("200")
        long flushIntervalMillis();

        /** Most rows per statement. */
        @WithDefault("5000")
        int maxBatch();
    }

    record Presence(boolean online, Instant at, DisconnectReason reason) {}

    record Reported(ReportedState state, Instant at) {}

    void onStart(@Observes StartupEvent event) {
        flushTimer = Timer.builder("fleetcast.activity.flush").register(metrics);
        metrics.gauge("fleetcast.activity.pending", this, DeviceActivity::pending);
        timerId = vertx.setPeriodic(config.flushIntervalMillis(), id -> flush());
    }

    /**
     * Writes what is pending before the node stops: first lets a flush in flight finish (a failed one
     * puts its changes back), then writes whatever is left.
     */
    void onStop(@Observes @Priority(ShutdownOrder.ACTIVITY) ShutdownEvent event) throws Exception {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        inFlight.get(10, TimeUnit.SECONDS);
        write().await().atMost(Duration.ofSeconds(10));
    }

    public void connected(UUID deviceId) {
        presence.put(deviceId, new Presence(true, Instant.now(), null));
    }

    public void disconnected(UUID deviceId, DisconnectReason reason) {
        presence.put(deviceId, new Presence(false, Instant.now(), reason));
    }

    public void reported(UUID deviceId, ReportedState state) {
        states.put(deviceId, new Reported(state, Instant.now()));
    }

    /** Changes waiting to be written. */
    public int pending() {
        return presence.size() + states.size();
    }

    private void flush() {
        if (pending() == 0 || !flushing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight = done;
        Timer.Sample sample = Timer.start();
        write().subscribe()
                .with(
                        written -> {
                            sample.stop(flushTimer);
                            flushing.set(false);
                            done.complete(null);
                        },
                        failure -> {
                            LOG.error("Writing device presence and state failed; will retry", failure);
                            flushing.set(false);
                            done.complete(null);
                        });
    }

    private Uni<Void> write() {
        return writePresence().chain(this::writeStates);
    }

    private Uni<Void> writePresence() {
        Map<UUID, Presence> taken = drain(presence);
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = taken.size();
        UUID[] ids = new UUID[size];
        Boolean[] online = new Boolean[size];
        OffsetDateTime[] at = new OffsetDateTime[size];
        String[] reasons = new String[size];
        int i = 0;
        for (var entry : taken.entrySet()) {
            Presence change = entry.getValue();
            ids[i] = entry.getKey();
            online[i] = change.online();
            at[i] = OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC);
            reasons[i] = change.reason() == null ? null : change.reason().name();
            i++;
        }
        return pool.preparedQuery(UPDATE_PRESENCE)
                .execute(Tuple.of(ids, online, at, reasons, node.id()))
                .onFailure()
                .invoke(failure -> taken.forEach(presence::putIfAbsent))
                .replaceWithVoid();
    }

    private Uni<Void> writeStates() {
        Map<UUID, Reported> taken = drain(states);
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = taken.size();
        UUID[] ids = new UUID[size];
        String[] reported = new String[size];
        String[] firmware = new String[size];
        String[] slots = new String[size];
        OffsetDateTime[] at = new OffsetDateTime[size];
        int i = 0;
        for (var entry : taken.entrySet()) {
            Reported report = entry.getValue();
            ids[i] = entry.getKey();
            reported[i] = Json.toString(report.state());
            firmware[i] = report.state().firmwareVersion();
            slots[i] = report.state().activeSlot();
            at[i] = OffsetDateTime.ofInstant(report.at(), ZoneOffset.UTC);
            i++;
        }
        return pool.preparedQuery(UPDATE_STATE)
                .execute(Tuple.of(ids, reported, firmware, slots, at))
                .onFailure()
                .invoke(failure -> taken.forEach(states::putIfAbsent))
                .replaceWithVoid();
    }

    /**
     * Takes up to a batch of pending changes out of a map. {@code remove(key, value)} leaves a change
     * that arrived after we looked for the next flush; a failed write puts its changes back unless a
     * newer one arrived meanwhile.
     */
    private <T> Map<UUID, T> drain(Map<UUID, T> pending) {
        Map<UUID, T> taken = new HashMap<>();
        for (var entry : pending.entrySet()) {
            if (taken.size() == config.maxBatch()) {
                break;
            }
            if (pending.remove(entry.getKey(), entry.getValue())) {
                taken.put(entry.getKey(), entry.getValue());
            }
        }
        return taken;
    }
}
