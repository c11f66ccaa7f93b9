package io.fleetcast.platform.database;

import io.fleetcast.platform.ShutdownOrder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the platform's embedded PostgreSQL once everything else has written its last rows. */
@ApplicationScoped
class EmbeddedDatabaseShutdown {

    void onStop(@Observes @Priority(ShutdownOrder.DATABASE) ShutdownEvent event) {
        EmbeddedDatabase.stopPlatformDatabase();
    }
}
