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
 * One transaction that provisions a batch of requests of one claim. The claim row is locked; retries
 * of requests whose answer was lost get their credential again; the claim's remaining uses decide how
 * many new requests may proceed; devices are inserted (or pre-registered ones completed) in one
 * statement, and the uses are counted once. A request that does not go through costs the claim
 * nothing, and neither does a retry.
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

    // The same claim, serial and request id, from a device that never connected: its answer was lost.
    // The request id is random and known only to the device, so this is no way to take a device over.
    private static final String REISSUE =
            """
            UPDATE devices d SET credential_hash = u.hash
            FROM unnest($3::text[], $4::text[], $5::bytea[]) AS u(serial, request_id, hash)
            WHERE d.tenant_id = $1 AND d.claim_id = $2 AND d.serial = u.serial
              AND d.provision_request_id = u.request_id AND d.last_seen IS NULL
            RETURNING d.id, d.serial
            """;

    // A pre-registered device (same serial, no credential yet, same model) is completed; a device that
    // already holds a credential is left alone, and its request is refused as a replay.
    private static final String INSERT_DEVICES =
            """
            INSERT INTO devices (id, tenant_id, serial, model_id, firmware_version, credential_hash,
                                 claim_id, provision_request_id, provisioned_at)
            SELECT u.id, $1, u.serial, $2, u.firmware, u.hash, $3, u.request_id, now()
            FROM unnest($4::uuid[], $5::text[], $6::text[], $7::bytea[], $8::text[])
                 AS u(id, serial, firmware, hash, request_id)
            ON CONFLICT (tenant_id, serial) DO UPDATE
               SET credential_hash = EXCLUDED.credential_hash,
                   claim_id = EXCLUDED.claim_id,
                   provision_request_id = EXCLUDED.provision_request_id,
                   provisioned_at = EXCLUDED.provisioned_at,
                   firmware_version = coalesce(EXCLUDED.firmware_version, devices.firmware_version)
               WHERE devices.credential_hash IS NULL AND devices.model_id = EXCLUDED.model_id
            RETURNING id, serial
            """;

    private static final String COUNT_USES = "UPDATE claims SET uses = uses + $2 WHERE id = $1";

    private static final String KNOWN_SERIALS =
            """
            SELECT serial, model_id = $2 AS same_model, credential_hash IS NOT NULL AS provisioned
            FROM devices WHERE tenant_id = $1 AND serial = ANY($3)
            """;

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
        // Answers wait for the commit: a device must never hold a credential that was rolled back.
        Map<Pending, ProvisionResponse> answers = new HashMap<>();
        Map<String, Issued> credentials = new HashMap<>(candidates.size() * 2);
        candidates.forEach(p -> credentials.put(p.request().serial(), Issued.create(hasher)));
        return pool.withTransaction(connection -> connection
                        .preparedQuery(LOCK_CLAIM)
                        .execute(Tuple.of(claimId))
                        .chain(rows -> {
                            Row claim =
                                    rows.size() == 0 ? null : rows.iterator().next();
                            ProvisionError claimError = claimError(claim);
                            if (claimError != null) {
                                candidates.forEach(p -> answers.put(p, refusal(p, claimError, "claim cannot be used")));
                                return Uni.createFrom().voidItem();
                            }
                            String tenantId = claim.getString("tenant_id");
                            UUID modelId = claim.getUUID("model_id");
                            return reissue(connection, claimId, tenantId, candidates, credentials, answers)
                                    .chain(fresh -> refuseKnownSerials(connection, tenantId, modelId, fresh, answers))
                                    .chain(fresh -> {
                                        int remaining = claim.getInteger("remaining");
                                        List<Pending> admitted = fresh.subList(0, Math.min(remaining, fresh.size()));
                                        // Exhausted: the claim had fewer uses left than the batch has new requests.
                                        fresh.subList(admitted.size(), fresh.size())
                                                .forEach(p -> answers.put(
                                                        p,
                                                        refusal(
                                                                p,
                                                                ProvisionError.CLAIM_EXHAUSTED,
                                                                "claim is used up")));
                                        return insert(connection, claimId, claim, admitted, credentials, answers);
                                    });
                        }))
                .invoke(() -> answers.forEach(Pending::complete))
                .replaceWithVoid();
    }

    /** Answers the retries among the candidates; returns the requests that are new. */
    private Uni<List<Pending>> reissue(
            SqlConnection connection,
            UUID claimId,
            String tenantId,
            List<Pending> candidates,
            Map<String, Issued> credentials,
            Map<Pending, ProvisionResponse> answers) {
        int size = candidates.size();
        String[] serials = new String[size];
        String[] requestIds = new String[size];
        Buffer[] hashes = new Buffer[size];
        for (int i = 0; i < size; i++) {
            serials[i] = candidates.get(i).request().serial();
            requestIds[i] = candidates.get(i).request().requestId();
            hashes[i] = credentials.get(serials[i]).hash();
        }
        return connection
                .preparedQuery(REISSUE)
                .execute(Tuple.of(tenantId, claimId, serials, requestIds, hashes))
                .map(rows -> {
                    Map<String, UUID> reissued = new HashMap<>();
                    rows.forEach(row -> reissued.put(row.getString("serial"), row.getUUID("id")));
                    List<Pending> fresh = new ArrayList<>(size - reissued.size());
                    for (Pending pending : candidates) {
                        UUID deviceId = reissued.get(pending.request().serial());
                        if (deviceId == null) {
                            fresh.add(pending);
                        } else {
                            LOG.infof(
                                    "Provisioning answered again deviceId=%s tenantId=%s serial=%s claimId=%s",
                                    deviceId, tenantId, pending.request().serial(), claimId);
                            answers.put(
                                    pending,
                                    ProvisionResponse.success(
                                            pending.request().requestId(),
                                            deviceId.toString(),
                                            credentials
                                                    .get(pending.request().serial())
                                                    .secret()));
                        }
                    }
                    return fresh;
                });
    }

    private Uni<Void> insert(
            SqlConnection connection,
            UUID claimId,
            Row claim,
            List<Pending> admitted,
            Map<String, Issued> credentials,
            Map<Pending, ProvisionResponse> answers) {
        String tenantId = claim.getString("tenant_id");
        UUID modelId = claim.getUUID("model_id");
        int size = admitted.size();
        UUID[] ids = new UUID[size];
        String[] serials = new String[size];
        String[] firmware = new String[size];
        Buffer[] hashes = new Buffer[size];
        String[] requestIds = new String[size];
        for (int i = 0; i < size; i++) {
            Pending pending = admitted.get(i);
            ids[i] = Ids.newId();
            serials[i] = pending.request().serial();
            firmware[i] = pending.request().firmwareVersion();
            hashes[i] = credentials.get(serials[i]).hash();
            requestIds[i] = pending.request().requestId();
        }
        return connection
                .preparedQuery(INSERT_DEVICES)
                .execute(Tuple.from(List.of(tenantId, modelId, claimId, ids, serials, firmware, hashes, requestIds)))
                .chain(rows -> {
                    Map<String, UUID> provisioned = new HashMap<>(rows.size() * 2);
                    rows.forEach(row -> provisioned.put(row.getString("serial"), row.getUUID("id")));
                    Uni<Void> counted = provisioned.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : connection
                                    .preparedQuery(COUNT_USES)
                                    .execute(Tuple.of(claimId, provisioned.size()))
                                    .replaceWithVoid();
                    return counted.invoke(() -> admitted.forEach(pending -> {
                                String serial = pending.request().serial();
                                UUID deviceId = provisioned.get(serial);
                                if (deviceId == null) {
                                    // Registered by another transaction since we looked.
                                    answers.put(
                                            pending,
                                            refusal(
                                                    pending,
                                                    ProvisionError.REPLAYED,
                                                    "serial was registered meanwhile"));
                                } else {
                                    LOG.infof(
                                            "Device provisioned deviceId=%s tenantId=%s serial=%s claimId=%s",
                                            deviceId, tenantId, serial, claimId);
                                    answers.put(
                                            pending,
                                            ProvisionResponse.success(
                                                    pending.request().requestId(),
                                                    deviceId.toString(),
                                                    credentials.get(serial).secret()));
                                }
                            }))
                            .replaceWithVoid();
                });
    }

    /**
     * Refuses requests for serials the tenant already has, unless pre-registered for this model and
     * waiting for a credential; returns the rest. Refused requests never take one of the claim's uses.
     */
    private Uni<List<Pending>> refuseKnownSerials(
            SqlConnection connection,
            String tenantId,
            UUID modelId,
            List<Pending> fresh,
            Map<Pending, ProvisionResponse> answers) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().item(fresh);
        }
        String[] serials = fresh.stream().map(p -> p.request().serial()).toArray(String[]::new);
        return connection
                .preparedQuery(KNOWN_SERIALS)
                .execute(Tuple.of(tenantId, modelId, serials))
                .map(rows -> {
                    Map<String, ProvisionError> refusals = new HashMap<>();
                    rows.forEach(row -> {
                        if (row.getBoolean("provisioned")) {
                            refusals.put(row.getString("serial"), ProvisionError.REPLAYED);
                        } else if (!row.getBoolean("same_model")) {
                            refusals.put(row.getString("serial"), ProvisionError.MODEL_MISMATCH);
                        }
                    });
                    List<Pending> remaining = new ArrayList<>(fresh.size());
                    for (Pending pending : fresh) {
                        ProvisionError error = refusals.get(pending.request().serial());
                        if (error == null) {
                            remaining.add(pending);
                        } else {
                            LOG.warnf(
                                    "Provisioning refused tenantId=%s serial=%s reason=%s",
                                    tenantId, pending.request().serial(), error);
                            answers.put(
                                    pending,
                                    refusal(
                                            pending,
                                            error,
                                            error == ProvisionError.REPLAYED
                                                    ? "serial is already provisioned"
                                                    : "serial is registered for another model"));
                        }
                    }
                    return remaining;
                });
    }

    /** A credential made for one request: the secret for the device, its hash for the database. */
    private record Issued(String secret, Buffer hash) {

        static Issued create(SecretHasher hasher) {
            String secret = Secrets.newSecret();
            return new Issued(secret, Buffer.buffer(hasher.hash(secret)));
        }
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
        return null;
    }

    private static ProvisionResponse refusal(Pending pending, ProvisionError error, String message) {
        return ProvisionResponse.failure(pending.request().requestId(), error, message);
    }
}
