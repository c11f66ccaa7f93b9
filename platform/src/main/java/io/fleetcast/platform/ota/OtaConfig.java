package io.fleetcast.platform.ota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of firmware storage, downloads and the rollout engine. */
@ConfigMapping(prefix = "fleetcast.ota")
public interface OtaConfig {

    /** Where artifacts are stored. By default {@code artifacts} below the platform's data directory. */
    @WithDefault("${FLEETCAST_DATA_DIR:data}/artifacts")
    String artifactDirectory();

    /**
     * The base URL devices download from, e.g. {@code https://ota.example.com}. By default the
     * platform's own HTTP listener on localhost, which only suits development.
     */
    Optional<String> downloadBaseUrl();

    /** How long a signed download URL stays valid. */
    @WithDefault("PT24H")
    Duration downloadUrlValidity();

    /** Whether this node runs the rollout scheduler tick (tests drive the tick themselves). */
    @WithDefault("true")
    boolean schedulerEnabled();

    /** Most assignments one tick sends for one rollout when it has no rate limit. */
    @WithDefault("5000")
    int maxNotificationsPerTick();

    /** Most devices a dynamic rollout takes in per tick. */
    @WithDefault("10000")
    int maxDynamicAdditionsPerTick();

    /** How often device reports are written, in milliseconds. */
    @WithDefault("100")
    long reportFlushIntervalMillis();

    /** Most reports per statement. */
    @WithDefault("5000")
    int reportBatchSize();

    /**
     * Batches written at the same time. Batches hold different actions, so they only meet on the
     * per-rollout counter rows at the end of each statement.
     */
    @WithDefault("4")
    int reportWriters();

    /**
     * Most reports waiting to be written; past it new reports are refused (the device gets a negative
     * PUBACK and sends again), so memory stays bounded when the database falls behind.
     */
    @WithDefault("200000")
    int maxPendingReports();

    /** Roles that may approve a rollout that requires approval. */
    @WithDefault("manufacturer-admin,platform-admin")
    List<String> approverRoles();
}
