package io.fleetcast.platform.provisioning;

import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.security.SecretHasher;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.ProvisionError;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Checks a claim token when a device connects to provision itself. The check is repeated inside the
 * provisioning transaction, which is what counts; this one refuses bad tokens before any work. A
 * used-up claim is let in: the device that took its last use may be retrying after a lost answer, and
 * the others are told {@code CLAIM_EXHAUSTED} in the response.
 */
@ApplicationScoped
public class ClaimChecker {

    @Inject
    Pool pool;

    @Inject
    SecretHasher hasher;

    public Uni<ClaimVerdict> check(String token) {
        int separator = token == null ? -1 : token.indexOf(Credentials.CLAIM_TOKEN_SEPARATOR);
        UUID claimId = separator < 0 ? null : Ids.parseOrNull(token.substring(0, separator));
        if (claimId == null) {
            return Uni.createFrom().item(ClaimVerdict.refused(ProvisionError.CLAIM_UNKNOWN));
        }
        String secret = token.substring(separator + 1);
        return pool.preparedQuery(
                        """
                        SELECT tenant_id, secret_hash, revoked_at IS NOT NULL AS revoked,
                               expires_at <= now() AS expired
                        FROM claims WHERE id = $1
                        """)
                .execute(Tuple.of(claimId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return ClaimVerdict.refused(ProvisionError.CLAIM_UNKNOWN);
                    }
                    Row row = rows.iterator().next();
                    if (!hasher.matches(secret, row.getBuffer("secret_hash").getBytes())) {
                        return ClaimVerdict.refused(ProvisionError.CLAIM_UNKNOWN);
                    }
                    if (row.getBoolean("revoked")) {
                        return ClaimVerdict.refused(ProvisionError.CLAIM_REVOKED);
                    }
                    if (row.getBoolean("expired")) {
                        return ClaimVerdict.refused(ProvisionError.CLAIM_EXPIRED);
                    }
                    return ClaimVerdict.granted(new ClaimGrant(claimId, row.getString("tenant_id")));
                });
    }
}
