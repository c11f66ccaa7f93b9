package io.fleetcast.platform.audit;

import io.fleetcast.platform.database.Ids;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * Writes audit events. Every write goes through the connection or session of the change it records,
 * inside that change's transaction, so that neither the change nor its event exists without the
 * other. Provisioning records its events in its own insert statement instead (see
 * {@code ProvisioningBatch}), because an extra statement per batch would halve its rate.
 */
@ApplicationScoped
public class AuditLog {

    private static final String INSERT =
            """
            INSERT INTO audit_events (id, tenant_id, actor, action, target_type, target_id, summary)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
            """;

    // Hibernate Reactive binds a string; cast through text so PostgreSQL parses it as JSON instead of
    // taking it as a JSON string.
    private static final String INSERT_IN_SESSION =
            """
            INSERT INTO audit_events (id, tenant_id, actor, action, target_type, target_id, summary)
            VALUES (:id, :tenantId, :actor, :action, :targetType, :targetId, CAST(CAST(:summary AS text) AS jsonb))
            """;

    /**
     * Records the entry with a connection of the reactive client; the caller runs the change and this
     * write in one transaction on that connection.
     */
    public Uni<Void> record(SqlClient connection, AuditEntry entry) {
        return connection
                .preparedQuery(INSERT)
                .execute(Tuple.from(Arrays.asList(
                        Ids.newId(),
                        entry.tenantId(),
                        entry.actor(),
                        entry.action().wireName(),
                        entry.action().targetType(),
                        entry.targetId(),
                        entry.summary())))
                .replaceWithVoid();
    }

    /**
     * Records the entry through the current Hibernate Reactive session, so that it commits or rolls
     * back with the entity changes of the caller's {@code @WithTransaction}.
     */
    public Uni<Void> recordInSession(AuditEntry entry) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(INSERT_IN_SESSION)
                        .setParameter("id", Ids.newId())
                        .setParameter("tenantId", entry.tenantId())
                        .setParameter("actor", entry.actor())
                        .setParameter("action", entry.action().wireName())
                        .setParameter("targetType", entry.action().targetType())
                        .setParameter("targetId", entry.targetId())
                        .setParameter("summary", entry.summary().encode())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
