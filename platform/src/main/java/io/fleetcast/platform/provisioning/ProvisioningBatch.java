package io.fleetcast.platform.provisioning;

import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.provisioning.Provisioner.Pending;
import io.fleetcast.platform.security.SecretHasher;
import io.fleetcast.platform.security.Secrets;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One transaction that provisions a batch of requests of one claim. The claim row is locked, its
 * remaining uses decide how many requests may proceed, devices are inserted (or pre-registered ones
 * completed) in one statement, and the uses are counted once. A request that does not go through
 * costs the claim nothing.
 */
@ApplicationScoped
class ProvisioningBatch {

    private static final Logger LOG = Logger.getLogger(ProvisioningBatch.class);

    private static final String LOCK_CLAIM =
            """
            SELECT tenant_id, model_id, max_uses - uses AS remaining,
                   revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired
            FROM claims WHERE id = $1 FOR UPDATE
            """;

    // A pre-registered device (same serial, no credential yet, same model) is completed; a device that
    // already holds a credential is left alone, and its request is refused as a replay.
    private static final String INSERT_DEVICES =
            """
            INSERT INTO devices (id, tenant_id, serial, model_id, firmware_version, credential_hash,
                                 claim_id, provisioned_at)
            SELECT u.id, $1, u.serial, $2, u.firmware, u.hash, $3, now()
            FROM unnest($4::uuid[], $5::text[], $6::text[], $7::bytea[]) AS u(id, serial, firmware, hash)
            ON CONFLICT (tenant_id, serial) DO UPDATE
               SET credential_hash = EXCLUDED.credential_hash,
                   claim_id = EXCLUDED.claim_id,
                   provisioned_at = EXCLUDED.provisioned_at,
                   firmware_version = coalesce(EXCLUDED.firmware_version, devices.firmware_version)
               WHERE devices.credential_hash IS NULL AND devices.model_id = EXCLUDED.model_id
            RETURNING id, serial
            """;

    private static final String COUNT_USES = "UPDATE claims SET uses = uses + $2 WHERE id = $1";

    private static final String EXPLAIN_REFUSALS =
            "SELECT serial, model_id = $2 AS same_model FROM devices WHERE tenant_id = $1 AND serial = ANY($3)";

    @Inject
    Pool pool;

    @Inject
    SecretHasher hasher;

    Uni<Void> run(UUID claimId, List<Pending> requests) {
        // One serial twice in a batch: the first request competes, the others are replays.
        List<Pending> candidates = new ArrayList<>();
        Set<String> serials = new HashSet<>();
        for (Pending pending : requests) {
            if (serials.add(pending.request().serial())) {
                candidates.add(pending);
            } else {
                pending.complete(refusal(pending, ProvisionError.REPLAYED, "this serial is being provisioned"));
            }
        }
        return pool.withTransaction(connection -> connection
                        .preparedQuery(LOCK_CLAIM)
                        .execute(Tuple.of(claimId))
                        .chain(rows -> {
                            Row claim =
                                    rows.size() == 0 ? null : rows.iterator().next();
                            ProvisionError claimError = claimError(claim);
                            if (claimError != null) {
                                candidates.forEach(p -> p.complete(refusal(p, claimError, "claim cannot be used")));
                                return Uni.createFrom().voidItem();
                            }
                            int remaining = claim.getInteger("remaining");
                            List<Pending> admitted = candidates.subList(0, Math.min(remaining, candidates.size()));
                            // Exhausted: the claim had fewer uses left than this batch has requests.
                            candidates
                                    .subList(admitted.size(), candidates.size())
                                    .forEach(p ->
                                            p.complete(refusal(p, ProvisionError.CLAIM_EXHAUSTED, "claim is used up")));
                            return insert(connection, claimId, claim, admitted);
                        }))
                .replaceWithVoid();
    }

    private Uni<Void> insert(SqlConnection connection, UUID claimId, Row claim, List<Pending> admitted) {
        String tenantId = claim.getString("tenant_id");
        UUID modelId = claim.getUUID("model_id");
        int size = admitted.size();
        UUID[] ids = new UUID[size];
        String[] serials = new String[size];
        String[] firmware = new String[size];
        Buffer[] hashes = new Buffer[size];
        Map<String, String> secrets = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            Pending pending = admitted.get(i);
            String secret = Secrets.newSecret();
            ids[i] = Ids.newId();
            serials[i] = pending.request().serial();
            firmware[i] = pending.request().firmwareVersion();
            hashes[i] = Buffer.buffer(hasher.hash(secret));
            secrets.put(serials[i], secret);
        }
        return connection
                .preparedQuery(INSERT_DEVICES)
                .execute(Tuple.from(List.of(tenantId, modelId, claimId, ids, serials, firmware, hashes)))
                .chain(rows -> {
                    Map<String, UUID> provisioned = new HashMap<>(rows.size() * 2);
                    rows.forEach(row -> provisioned.put(row.getString("serial"), row.getUUID("id")));
                    Uni<Void> counted = provisioned.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : connection
                                    .preparedQuery(COUNT_USES)
                                    .execute(Tuple.of(claimId, provisioned.size()))
                                    .replaceWithVoid();
                    return counted.chain(() -> explainRefusals(connection, tenantId, modelId, admitted, provisioned))
                            .invoke(refusals -> admitted.forEach(pending -> {
                                String serial = pending.request().serial();
                                UUID deviceId = provisioned.get(serial);
                                if (deviceId == null) {
                                    pending.complete(refusals.get(serial));
                                } else {
                                    LOG.infof(
                                            "Device provisioned deviceId=%s tenantId=%s serial=%s claimId=%s",
                                            deviceId, tenantId, serial, claimId);
                                    pending.complete(ProvisionResponse.success(
                                            pending.request().requestId(), deviceId.toString(), secrets.get(serial)));
                                }
                            }))
                            .replaceWithVoid();
                });
    }

    /** Why each admitted request that did not provision was refused. */
    private Uni<Map<String, ProvisionResponse>> explainRefusals(
            SqlConnection connection,
            String tenantId,
            UUID modelId,
            List<Pending> admitted,
            Map<String, UUID> provisioned) {
        List<Pending> refused = admitted.stream()
                .filter(p -> !provisioned.containsKey(p.request().serial()))
                .toList();
        if (refused.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] serials = refused.stream().map(p -> p.request().serial()).toArray(String[]::new);
        return connection
                .preparedQuery(EXPLAIN_REFUSALS)
                .execute(Tuple.of(tenantId, modelId, serials))
                .map(rows -> {
                    Set<String> otherModel = new HashSet<>();
                    rows.forEach(row -> {
                        if (!row.getBoolean("same_model")) {
                            otherModel.add(row.getString("serial"));
                        }
                    });
                    Map<String, ProvisionResponse> refusals = new HashMap<>();
                    for (Pending pending : refused) {
                        String serial = pending.request().serial();
                        refusals.put(
                                serial,
                                otherModel.contains(serial)
                                        ? refusal(
                                                pending,
                                                ProvisionError.MODEL_MISMATCH,
                                                "serial is registered for another model")
                                        : refusal(pending, ProvisionError.REPLAYED, "serial is already provisioned"));
                        LOG.warnf(
                                "Provisioning refused tenantId=%s serial=%s reason=%s",
                                tenantId, serial, refusals.get(serial).error());
                    }
                    return refusals;
                });
    }

    private static ProvisionError claimError(Row claim) {
        if (claim == null) {
            return ProvisionError.CLAIM_UNKNOWN;
        }
        if (claim.getBoolean("revoked")) {
            return ProvisionError.CLAIM_REVOKED;
        }
        if (claim.getBoolean("expired")) {
            return ProvisionError.CLAIM_EXPIRED;
        }
        if (claim.getInteger("remaining") <= 0) {
            return ProvisionError.CLAIM_EXHAUSTED;
        }
        return null;
    }

    private static ProvisionResponse refusal(Pending pending, ProvisionError error, String message) {
        return ProvisionResponse.failure(pending.request().requestId(), error, message);
    }
}
