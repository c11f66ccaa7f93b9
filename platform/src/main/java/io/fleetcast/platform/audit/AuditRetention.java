package io.fleetcast.platform.audit;

import io.fleetcast.platform.database.Ids;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Deletes events older than the configured retention, every hour, across all tenants. */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);

    // Bounded batches keep each transaction short; SKIP LOCKED lets the nodes of a cluster purge at the
    // same time without waiting on each other. The scan runs along the primary key, oldest first, and
    // stops at an id bound ($2), so that the last batch does not read the whole log to find that
    // nothing is left; at ($1) decides what is expired.
    private static final String DELETE_EXPIRED =
            """
            DELETE FROM audit_events WHERE id IN (
                SELECT id FROM audit_events WHERE id < $2 AND at < $1
                ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
            """;

    // Ids are made by the platform's clock, at by the database's: an event whose id runs ahead of its
    // at by more than this waits for a later purge.
    private static final Duration CLOCK_MARGIN = Duration.ofHours(1);

    @Inject
    Pool pool;

    @Inject
    AuditConfig config;

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge().invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Audit events purged count=%d retention=%s", deleted, config.retention());
                    }
                })
                .replaceWithVoid();
    }

    /** Deletes expired events batch by batch until none is left; returns how many it deleted. */
    Uni<Long> purge() {
        Instant cutoff = Instant.now().minus(config.retention());
        Tuple params = Tuple.of(
                OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC),
                Ids.lowestAt(cutoff.plus(CLOCK_MARGIN)),
                config.purgeBatchSize());
        return Uni.createFrom()
                .deferred(
                        () -> pool.preparedQuery(DELETE_EXPIRED).execute(params).map(rows -> rows.rowCount()))
                .repeat()
                .whilst(deleted -> deleted == config.purgeBatchSize())
                .collect()
                .with(Collectors.summingLong(Integer::longValue));
    }
}
