package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics of OTA: rollouts and actions by state (gauges refreshed by the scheduler tick
 * from the counters in the database, so every node shows the same figures), and what this node sent,
 * applied and refused.
 */
@ApplicationScoped
public class OtaMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<RolloutState, AtomicLong> rollouts = new EnumMap<>(RolloutState.class);
    private final Map<OtaState, AtomicLong> actions = new EnumMap<>(OtaState.class);
    private Counter notifications;
    private Counter cancels;
    private Counter reportsApplied;
    private Counter illegalTransitions;
    private Counter unknownReports;
    private Counter droppedReports;

    void onStart(@Observes StartupEvent event) {
        for (RolloutState state : RolloutState.values()) {
            AtomicLong value = new AtomicLong();
            rollouts.put(state, value);
            registry.gauge(
                    "fleetcast.ota.rollouts", io.micrometer.core.instrument.Tags.of("state", state.name()), value);
        }
        for (OtaState state : OtaState.values()) {
            AtomicLong value = new AtomicLong();
            actions.put(state, value);
            registry.gauge(
                    "fleetcast.ota.actions", io.micrometer.core.instrument.Tags.of("state", state.name()), value);
        }
        notifications = registry.counter("fleetcast.ota.notifications.sent");
        cancels = registry.counter("fleetcast.ota.cancels.sent");
        reportsApplied = registry.counter("fleetcast.ota.reports.applied");
        illegalTransitions = registry.counter("fleetcast.ota.transitions.illegal");
        unknownReports = registry.counter("fleetcast.ota.reports.unknown");
        droppedReports = registry.counter("fleetcast.ota.reports.dropped");
    }

    void notificationSent() {
        if (notifications != null) {
            notifications.increment();
        }
    }

    void cancelSent() {
        if (cancels != null) {
            cancels.increment();
        }
    }

    void reports(long applied, long illegal, long unknown) {
        if (reportsApplied != null) {
            reportsApplied.increment(applied);
            illegalTransitions.increment(illegal);
            unknownReports.increment(unknown);
        }
    }

    void reportDropped() {
        if (droppedReports != null) {
            droppedReports.increment();
        }
    }

    /** Illegal transitions counted on this node since start. */
    public double illegalTransitions() {
        return illegalTransitions == null ? 0 : illegalTransitions.count();
    }

    /** Reports that moved an action, counted on this node since start. */
    public double reportsApplied() {
        return reportsApplied == null ? 0 : reportsApplied.count();
    }

    /** Reports for unknown actions or other tenants' rollouts, counted on this node since start. */
    public double unknownReports() {
        return unknownReports == null ? 0 : unknownReports.count();
    }

    void rolloutStates(Map<RolloutState, Long> counts) {
        rollouts.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L)));
    }

    void actionStates(Map<OtaState, Long> counts) {
        actions.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L)));
    }
}
