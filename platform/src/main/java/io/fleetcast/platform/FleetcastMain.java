package io.fleetcast.platform;

import io.fleetcast.platform.database.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the platform. When no database URL is configured, an embedded PostgreSQL is started first
 * (see {@link EmbeddedDatabase}) so that a fresh machine needs nothing installed.
 */
@QuarkusMain
public final class FleetcastMain {

    private FleetcastMain() {}

    public static void main(String... args) {
        EmbeddedDatabase.startIfNoDatabaseConfigured()
                .ifPresent(database -> database.connectionProperties().forEach(System::setProperty));
        Quarkus.run(args);
    }
}
