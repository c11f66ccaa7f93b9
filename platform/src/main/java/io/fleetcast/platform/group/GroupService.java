package io.fleetcast.platform.group;

import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.database.PgErrors;
import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.platform.device.DevicePage;
import io.fleetcast.platform.device.DeviceService;
import io.fleetcast.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Device groups of a tenant: static member lists and dynamic filters. Every change records an audit
 * event in its own transaction.
 */
@ApplicationScoped
public class GroupService {

    // Only the tenant's own devices can become members; ids of other tenants' devices are "unknown".
    // Both statements return the devices they changed, for the audit event.
    private static final String ADD_MEMBERS =
            """
            INSERT INTO device_group_members (group_id, device_id)
            SELECT $2, d.id FROM devices d WHERE d.tenant_id = $1 AND d.id = ANY($3)
            ON CONFLICT DO NOTHING
            RETURNING device_id
            """;
    private static final String REMOVE_MEMBERS =
            """
            DELETE FROM device_group_members g USING devices d
            WHERE g.group_id = $2 AND g.device_id = d.id AND d.tenant_id = $1 AND d.id = ANY($3)
            RETURNING g.device_id
            """;
    private static final String KNOWN_DEVICES = "SELECT id FROM devices WHERE tenant_id = $1 AND id = ANY($2)";

    @Inject
    DeviceGroupRepository repository;

    @Inject
    DeviceService devices;

    @Inject
    Pool pool;

    @Inject
    AuditLog audit;

    @WithTransaction
    public Uni<GroupView> create(String tenantId, String actor, GroupRequest request) {
        DeviceGroup group = new DeviceGroup(Ids.newId(), tenantId, request, Instant.now());
        return repository
                .persistAndFlush(group)
                .call(created -> record(
                        tenantId,
                        actor,
                        AuditAction.GROUP_CREATED,
                        created,
                        AuditSummary.created(created.auditFields())))
                .map(DeviceGroup::view)
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> nameTaken(request.name()));
    }

    @WithSession
    public Uni<List<GroupView>> list(String tenantId) {
        return repository
                .list("tenantId = ?1 order by name", tenantId)
                .map(groups -> groups.stream().map(DeviceGroup::view).toList());
    }

    @WithSession
    public Uni<GroupView> get(String tenantId, UUID id) {
        return find(tenantId, id).map(DeviceGroup::view);
    }

    @WithTransaction
    public Uni<GroupView> update(String tenantId, String actor, UUID id, GroupRequest request) {
        return find(tenantId, id)
                .chain(group -> {
                    if (group.kind() != request.kind()) {
                        throw ApiException.badRequest("GROUP_KIND_FIXED", "a group's kind cannot change");
                    }
                    Map<String, Object> before = group.auditFields();
                    group.apply(request);
                    JsonObject changes = AuditSummary.changed(before, group.auditFields());
                    return repository
                            .flush()
                            .chain(() -> changes.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : record(tenantId, actor, AuditAction.GROUP_UPDATED, group, changes))
                            .replaceWith(group);
                })
                .map(DeviceGroup::view)
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> nameTaken(request.name()));
    }

    @WithTransaction
    public Uni<Void> delete(String tenantId, String actor, UUID id) {
        return find(tenantId, id)
                .call(repository::delete)
                .call(repository::flush)
                .call(group -> record(
                        tenantId, actor, AuditAction.GROUP_DELETED, group, AuditSummary.deleted(group.auditFields())))
                .replaceWithVoid();
    }

    /** The group's devices, one keyset page at a time. */
    public Uni<DevicePage> devices(String tenantId, UUID id, UUID after, int limit) {
        return group(tenantId, id)
                .chain(group -> group.kind() == GroupKind.DYNAMIC
                        ? devices.search(tenantId, group.filter(), after, limit)
                        : devices.searchInStaticGroup(tenantId, id, DeviceFilter.ALL, after, limit));
    }

    public Uni<Long> count(String tenantId, UUID id) {
        return group(tenantId, id)
                .chain(group -> group.kind() == GroupKind.DYNAMIC
                        ? devices.count(tenantId, group.filter())
                        : devices.countInStaticGroup(tenantId, id));
    }

    public Uni<MembersResult> addMembers(String tenantId, String actor, UUID id, List<UUID> deviceIds) {
        return changeMembers(tenantId, actor, id, deviceIds, ADD_MEMBERS, AuditAction.GROUP_MEMBERS_ADDED);
    }

    public Uni<MembersResult> removeMembers(String tenantId, String actor, UUID id, List<UUID> deviceIds) {
        return changeMembers(tenantId, actor, id, deviceIds, REMOVE_MEMBERS, AuditAction.GROUP_MEMBERS_REMOVED);
    }

    private Uni<MembersResult> changeMembers(
            String tenantId, String actor, UUID id, List<UUID> deviceIds, String statement, AuditAction action) {
        UUID[] ids = deviceIds.toArray(UUID[]::new);
        return group(tenantId, id).chain(group -> {
            if (group.kind() != GroupKind.STATIC) {
                return Uni.createFrom()
                        .failure(ApiException.conflict(
                                "GROUP_NOT_STATIC", "members of a dynamic group follow its filter"));
            }
            return pool.withTransaction(connection -> connection
                    .preparedQuery(statement)
                    .execute(Tuple.of(tenantId, id, ids))
                    .call(changed -> changed.rowCount() == 0
                            ? Uni.createFrom().voidItem()
                            : audit.record(
                                    connection,
                                    new AuditEntry(
                                            tenantId,
                                            actor,
                                            action,
                                            id.toString(),
                                            AuditSummary.many("deviceIds", deviceIdsOf(changed)))))
                    .chain(changed -> connection
                            .preparedQuery(KNOWN_DEVICES)
                            .execute(Tuple.of(tenantId, ids))
                            .map(known -> {
                                Set<UUID> found = new HashSet<>();
                                for (Row row : known) {
                                    found.add(row.getUUID(0));
                                }
                                List<UUID> unknown = deviceIds.stream()
                                        .filter(deviceId -> !found.contains(deviceId))
                                        .distinct()
                                        .toList();
                                return new MembersResult(changed.rowCount(), unknown);
                            })));
        });
    }

    @WithSession
    Uni<DeviceGroup> group(String tenantId, UUID id) {
        return find(tenantId, id);
    }

    private Uni<DeviceGroup> find(String tenantId, UUID id) {
        return repository
                .find("tenantId = ?1 and id = ?2", tenantId, id)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("group", id));
    }

    private Uni<Void> record(String tenantId, String actor, AuditAction action, DeviceGroup group, JsonObject summary) {
        return audit.recordInSession(
                new AuditEntry(tenantId, actor, action, group.id().toString(), summary));
    }

    private static List<UUID> deviceIdsOf(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>(rows.size());
        rows.forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict("GROUP_EXISTS", "a group named '" + name + "' already exists");
    }
}
