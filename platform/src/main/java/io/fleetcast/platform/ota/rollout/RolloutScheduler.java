package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.ota.OtaConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/** Runs the rollout tick every few seconds on every node (nodes take turns per rollout). */
@ApplicationScoped
public class RolloutScheduler {

    @Inject
    RolloutEngine engine;

    @Inject
    OtaConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            every = "${fleetcast.ota.tick-interval:5s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!config.schedulerEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return engine.tick(clock.instant());
    }
}
