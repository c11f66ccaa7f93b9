package io.fleetcast.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.platform.testing.FleetcastTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of the suite's shared platform (see {@code quarkus.test.class-orderer}
 * in the test configuration) and checks that the audit log holds every change the suite made.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@Order(Integer.MAX_VALUE)
class AuditReconciliationTest {

    @Inject
    Pool pool;

    /**
     * The audit log and the data agree: everything that exists was recorded when it was made and
     * changed, and everything recorded as made and now gone was recorded as deleted.
     */
    @Test
    void every_change_in_the_database_has_its_event() {
        assertThat(
                        violations(
                                """
                        SELECT 'model ' || m.id FROM device_models m WHERE NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = m.tenant_id AND e.action = 'model.created'
                                   AND e.target_type = 'model' AND e.target_id = m.id::text)
                        UNION ALL
                        SELECT 'group ' || g.id FROM device_groups g WHERE NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = g.tenant_id AND e.action = 'group.created'
                                   AND e.target_type = 'group' AND e.target_id = g.id::text)
                        UNION ALL
                        SELECT 'claim ' || c.id FROM claims c WHERE NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = c.tenant_id AND e.action = 'claim.created'
                                   AND e.target_type = 'claim' AND e.target_id = c.id::text)
                        UNION ALL
                        SELECT 'revoked claim ' || c.id FROM claims c WHERE c.revoked_at IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = c.tenant_id AND e.action = 'claim.revoked'
                                   AND e.target_id = c.id::text)
                        UNION ALL
                        SELECT 'provisioned device ' || d.id FROM devices d
                        WHERE d.credential_hash IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = d.tenant_id
                                   AND e.action = 'device.provisioned' AND e.target_id = d.id::text)
                        UNION ALL
                        SELECT 'pre-registered devices of ' || d.tenant_id FROM devices d
                        WHERE d.credential_hash IS NULL AND NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = d.tenant_id
                                   AND e.action = 'devices.imported')
                        UNION ALL
                        SELECT 'signing key ' || k.id FROM ota_signing_keys k WHERE NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = k.tenant_id
                                   AND e.action = 'signing-key.registered' AND e.target_id = k.id::text)
                        UNION ALL
                        SELECT 'revoked signing key ' || k.id FROM ota_signing_keys k
                        WHERE k.revoked_at IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = k.tenant_id
                                   AND e.action = 'signing-key.revoked' AND e.target_id = k.id::text)
                        UNION ALL
                        SELECT 'bundle ' || b.id FROM firmware_bundles b WHERE NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = b.tenant_id
                                   AND e.action = 'bundle.published' AND e.target_id = b.sha256)
                        UNION ALL
                        SELECT 'rollout ' || r.id FROM rollouts r WHERE NOT EXISTS (
                            SELECT 1 FROM audit_events e WHERE e.tenant_id = r.tenant_id
                                   AND e.action = 'rollout.created' AND e.target_id = r.id::text)
                        """))
                .as("things that exist without their creation event")
                .isEmpty();
        assertThat(
                        violations(
                                """
                        SELECT 'model ' || m.id FROM device_models m WHERE m.name IS DISTINCT FROM (
                            SELECT e.summary -> 'after' ->> 'name' FROM audit_events e
                            WHERE e.tenant_id = m.tenant_id AND e.target_id = m.id::text
                                  AND e.action IN ('model.created', 'model.updated') AND e.summary -> 'after' ? 'name'
                            ORDER BY e.id DESC LIMIT 1)
                        UNION ALL
                        SELECT 'group ' || g.id FROM device_groups g WHERE g.name IS DISTINCT FROM (
                            SELECT e.summary -> 'after' ->> 'name' FROM audit_events e
                            WHERE e.tenant_id = g.tenant_id AND e.target_id = g.id::text
                                  AND e.action IN ('group.created', 'group.updated') AND e.summary -> 'after' ? 'name'
                            ORDER BY e.id DESC LIMIT 1)
                        UNION ALL
                        SELECT 'rollout ' || r.id FROM rollouts r WHERE r.state IS DISTINCT FROM (
                            SELECT e.summary -> 'after' ->> 'state' FROM audit_events e
                            WHERE e.tenant_id = r.tenant_id AND e.target_id = r.id::text AND e.target_type = 'rollout'
                                  AND e.summary -> 'after' ? 'state'
                            ORDER BY e.id DESC LIMIT 1)
                          AND r.state NOT IN ('READY', 'WAITING_FOR_APPROVAL')
                        UNION ALL
                        SELECT 'device ' || d.id FROM devices d WHERE d.enabled IS DISTINCT FROM coalesce((
                            SELECT e.action = 'device.enabled' FROM audit_events e
                            WHERE e.tenant_id = d.tenant_id AND e.target_id = d.id::text
                                  AND e.action IN ('device.enabled', 'device.disabled')
                            ORDER BY e.id DESC LIMIT 1), true)
                        """))
                .as("things whose latest recorded state differs from the database")
                .isEmpty();
        assertThat(
                        violations(
                                """
                        SELECT e.target_type || ' ' || e.target_id FROM audit_events e
                        WHERE e.action IN ('model.created', 'group.created', 'device.provisioned')
                          AND NOT EXISTS (SELECT 1 FROM device_models m WHERE m.id = e.target_id::uuid)
                          AND NOT EXISTS (SELECT 1 FROM device_groups g WHERE g.id = e.target_id::uuid)
                          AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = e.target_id::uuid)
                          AND NOT EXISTS (
                              SELECT 1 FROM audit_events deleted
                              WHERE deleted.tenant_id = e.tenant_id AND deleted.target_id = e.target_id
                                    AND deleted.action = e.target_type || '.deleted')
                        """))
                .as("things that are gone without a deletion event")
                .isEmpty();
    }

    private List<String> violations(String sql) {
        List<String> found = new ArrayList<>();
        for (Row row : pool.query(sql).execute().await().indefinitely()) {
            found.add(row.getString(0));
        }
        return found;
    }
}
