package io.fleetcast.platform.provisioning;

import io.fleetcast.platform.audit.AuditAction;
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
 * One transaction that provisions a batch of requests of one claim: lock the claim row, then one
 * statement inserts the devices (or completes pre-registered ones, or answers retries of lost
 * answers), counts the claim's new uses and records their audit events. A request that does not go through costs the claim
 * nothing, and neither does a retry. Only when the claim has fewer uses left than the batch has
 * requests, a lookup first sets retries and replays apart. Four round trips per batch in the common
 * case (begin, lock, insert, commit): each one waits its turn on a busy event loop, so they are few
 * on purpose.
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

    // One statement provisions the batch, counts the claim's new uses and records an audit event per
    // new use (never the credential), so the events commit with the devices at no extra round trip.
    // A pre-registered device (same serial, no credential yet, same model) is completed. A retry after
    // a lost answer (same claim, serial and request id, and the device never connected) gets a new
    // credential and costs no use, and records nothing: its provisioned_at stays as it was. Any other
    // known serial is left alone.
    private static final String INSERT_DEVICES =
            """
            WITH inserted AS (
                INSERT INTO devices (id, tenant_id, serial, model_id, firmware_version, credential_hash,
                                     claim_id, provision_request_id, provisioned_at)
                SELECT u.id, $1, u.serial, $2, u.firmware, u.hash, $3, u.request_id, now()
                FROM unnest($4::uuid[], $5::text[], $6::text[], $7::bytea[], $8::text[])
                     AS u(id, serial, firmware, hash, request_id)
                ON CONFLICT (tenant_id, serial) DO UPDATE
                   SET credential_hash = EXCLUDED.credential_hash,
                       claim_id = EXCLUDED.claim_id,
                       provision_request_id = EXCLUDED.provision_request_id,
                       provisioned_at = CASE WHEN devices.credential_hash IS NULL
                                             THEN EXCLUDED.provisioned_at ELSE devices.provisioned_at END,
                       firmware_version = coalesce(EXCLUDED.firmware_version, devices.firmware_version)
                   WHERE (devices.credential_hash IS NULL AND devices.model_id = EXCLUDED.model_id)
                      OR (devices.claim_id = EXCLUDED.claim_id
                          AND devices.provision_request_id = EXCLUDED.provision_request_id
                          AND devices.last_seen IS NULL)
                RETURNING id, serial, firmware_version, provisioned_at = now() AS new_use),
            counted AS (
                UPDATE claims SET uses = uses + (SELECT count(*) FROM inserted WHERE new_use) WHERE id = $3),
            audited AS (
                INSERT INTO audit_events (id, tenant_id, actor, action, target_type, target_id, summary)
                SELECT e.id, $1, 'device:' || i.serial, '%s', 'device', i.id::text,
                       jsonb_build_object('after', jsonb_strip_nulls(jsonb_build_object(
                           'serial', i.serial,
                           'model', (SELECT name FROM device_models WHERE id = $2),
                           'claimId', $3::uuid,
                           'firmwareVersion', i.firmware_version)))
                FROM inserted i JOIN unnest($5::text[], $9::uuid[]) AS e(serial, id) ON e.serial = i.serial
                WHERE i.new_use)
            SELECT id, serial, new_use FROM inserted
            """
                    .formatted(AuditAction.DEVICE_PROVISIONED.wireName());

    // What the tenant already knows of these serials: whether each holds a credential, belongs to the
    // claim's model, or is this very request retried after a lost answer.
    private static final String KNOWN_SERIALS =
            """
            SELECT d.serial, d.model_id = $2 AS same_model, d.credential_hash IS NOT NULL AS provisioned,
                   (d.claim_id = $4 AND d.provision_request_id = u.request_id AND d.last_seen IS NULL) AS retry
            FROM unnest($3::text[], $5::text[]) AS u(serial, request_id)
            JOIN devices d ON d.tenant_id = $1 AND d.serial = u.serial
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
                            return new Batch(connection, claimId, claim, answers)
                                    .provision(candidates, claim.getInteger("remaining"));
                        }))
                .invoke(() -> answers.forEach(Pending::complete))
                .replaceWithVoid();
    }

    /** The work of one batch, inside its transaction, with the claim row locked. */
    private final class Batch {
        private final SqlConnection connection;
        private final UUID claimId;
        private final String tenantId;
        private final UUID modelId;
        private final Map<Pending, ProvisionResponse> answers;

        Batch(SqlConnection connection, UUID claimId, Row claim, Map<Pending, ProvisionResponse> answers) {
            this.connection = connection;
            this.claimId = claimId;
            this.tenantId = claim.getString("tenant_id");
            this.modelId = claim.getUUID("model_id");
            this.answers = answers;
        }

        Uni<Void> provision(List<Pending> candidates, int remaining) {
            if (candidates.size() <= remaining) {
                return insert(candidates);
            }
            // Near the claim's limit, set retries and replays apart first, so that only new devices
            // compete for the last uses.
            return known(candidates).chain(known -> {
                List<Pending> admitted = new ArrayList<>();
                int left = remaining;
                for (Pending pending : candidates) {
                    Row row = known.get(pending.request().serial());
                    if (row != null && row.getBoolean("retry")) {
                        admitted.add(pending);
                    } else if (row != null && (row.getBoolean("provisioned") || !row.getBoolean("same_model"))) {
                        refuse(pending, row);
                    } else if (left > 0) {
                        admitted.add(pending);
                        left--;
                    } else {
                        answers.put(pending, refusal(pending, ProvisionError.CLAIM_EXHAUSTED, "claim is used up"));
                    }
                }
                return insert(admitted);
            });
        }

        private Uni<Void> insert(List<Pending> admitted) {
            if (admitted.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            int size = admitted.size();
            UUID[] ids = new UUID[size];
            String[] serials = new String[size];
            String[] firmware = new String[size];
            Buffer[] hashes = new Buffer[size];
            String[] requestIds = new String[size];
            UUID[] eventIds = new UUID[size];
            Map<String, String> secrets = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                Pending pending = admitted.get(i);
                Issued issued = Issued.create(hasher);
                ids[i] = Ids.newId();
                serials[i] = pending.request().serial();
                firmware[i] = pending.request().firmwareVersion();
                hashes[i] = issued.hash();
                requestIds[i] = pending.request().requestId();
                eventIds[i] = Ids.newId();
                secrets.put(serials[i], issued.secret());
            }
            return connection
                    .preparedQuery(INSERT_DEVICES)
                    .execute(Tuple.from(
                            List.of(tenantId, modelId, claimId, ids, serials, firmware, hashes, requestIds, eventIds)))
                    .chain(rows -> {
                        Map<String, Row> provisioned = new HashMap<>(rows.size() * 2);
                        rows.forEach(row -> provisioned.put(row.getString("serial"), row));
                        List<Pending> refused = new ArrayList<>();
                        for (Pending pending : admitted) {
                            String serial = pending.request().serial();
                            Row row = provisioned.get(serial);
                            if (row == null) {
                                refused.add(pending);
                                continue;
                            }
                            LOG.infof(
                                    "%s deviceId=%s tenantId=%s serial=%s claimId=%s",
                                    row.getBoolean("new_use") ? "Device provisioned" : "Provisioning answered again",
                                    row.getUUID("id"),
                                    tenantId,
                                    serial,
                                    claimId);
                            answers.put(
                                    pending,
                                    ProvisionResponse.success(
                                            pending.request().requestId(),
                                            row.getUUID("id").toString(),
                                            secrets.get(serial)));
                        }
                        return refused.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : known(refused)
                                        .invoke(known -> refused.forEach(pending -> refuse(
                                                pending,
                                                known.get(pending.request().serial()))))
                                        .replaceWithVoid();
                    });
        }

        /** The tenant's devices with these serials, by serial. */
        private Uni<Map<String, Row>> known(List<Pending> pendings) {
            String[] serials = pendings.stream().map(p -> p.request().serial()).toArray(String[]::new);
            String[] requestIds =
                    pendings.stream().map(p -> p.request().requestId()).toArray(String[]::new);
            return connection
                    .preparedQuery(KNOWN_SERIALS)
                    .execute(Tuple.of(tenantId, modelId, serials, claimId, requestIds))
                    .map(rows -> {
                        Map<String, Row> known = new HashMap<>();
                        rows.forEach(row -> known.put(row.getString("serial"), row));
                        return known;
                    });
        }

        /** A known serial that may not provision: it holds a credential, or belongs to another model. */
        private void refuse(Pending pending, Row known) {
            boolean otherModel = known != null && !known.getBoolean("provisioned") && !known.getBoolean("same_model");
            ProvisionError error = otherModel ? ProvisionError.MODEL_MISMATCH : ProvisionError.REPLAYED;
            LOG.warnf(
                    "Provisioning refused tenantId=%s serial=%s reason=%s",
                    tenantId, pending.request().serial(), error);
            answers.put(
                    pending,
                    refusal(
                            pending,
                            error,
                            otherModel ? "serial is registered for another model" : "serial is already provisioned"));
        }
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
