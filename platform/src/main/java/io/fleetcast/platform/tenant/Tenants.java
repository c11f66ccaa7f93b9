package io.fleetcast.platform.tenant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers a tenant the first time one of its users calls the API. Tenants are few (manufacturers),
 * so the set of known ones stays small.
 */
@ApplicationScoped
public class Tenants {

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Inject
    Pool pool;

    public Uni<Void> ensureExists(String tenantId) {
        if (known.contains(tenantId)) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("INSERT INTO tenants (id) VALUES ($1) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(tenantId))
                .invoke(() -> known.add(tenantId))
                .replaceWithVoid();
    }
}
