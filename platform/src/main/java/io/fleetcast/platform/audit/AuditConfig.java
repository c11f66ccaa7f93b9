package io.fleetcast.platform.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the audit log. */
@ConfigMapping(prefix = "fleetcast.audit")
public interface AuditConfig {

    /** How long events are kept; older ones are deleted by an hourly purge. By default 365 days. */
    @WithDefault("P365D")
    Duration retention();

    /** Most events one purge statement deletes, so no statement holds locks or WAL for long. */
    @WithDefault("10000")
    int purgeBatchSize();
}
