package io.fleetcast.platform.model;

import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.audit.AuditSummary;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.database.PgErrors;
import io.fleetcast.platform.error.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Device models of a tenant. Every method takes the tenant, so no query can forget it. Every change
 * records an audit event in its own transaction.
 */
@ApplicationScoped
public class ModelService {

    @Inject
    DeviceModelRepository repository;

    @Inject
    AuditLog audit;

    @WithTransaction
    public Uni<ModelView> create(String tenantId, String actor, ModelRequest request) {
        DeviceModel model = new DeviceModel(Ids.newId(), tenantId, request, Instant.now());
        return repository
                .persistAndFlush(model)
                .call(created -> record(
                        tenantId,
                        actor,
                        AuditAction.MODEL_CREATED,
                        created,
                        AuditSummary.created(created.auditFields())))
                .map(DeviceModel::view)
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> nameTaken(request.name()));
    }

    @WithSession
    public Uni<List<ModelView>> list(String tenantId) {
        return repository
                .list("tenantId = ?1 order by name", tenantId)
                .map(models -> models.stream().map(DeviceModel::view).toList());
    }

    @WithSession
    public Uni<ModelView> get(String tenantId, UUID id) {
        return find(tenantId, id).map(DeviceModel::view);
    }

    @WithTransaction
    public Uni<ModelView> update(String tenantId, String actor, UUID id, ModelRequest request) {
        return find(tenantId, id)
                .chain(model -> {
                    Map<String, Object> before = model.auditFields();
                    model.apply(request);
                    JsonObject changes = AuditSummary.changed(before, model.auditFields());
                    return repository
                            .flush()
                            .chain(() -> changes.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : record(tenantId, actor, AuditAction.MODEL_UPDATED, model, changes))
                            .replaceWith(model);
                })
                .map(DeviceModel::view)
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> nameTaken(request.name()));
    }

    @WithTransaction
    public Uni<Void> delete(String tenantId, String actor, UUID id) {
        return find(tenantId, id)
                .call(repository::delete)
                .call(repository::flush)
                .call(model -> record(
                        tenantId, actor, AuditAction.MODEL_DELETED, model, AuditSummary.deleted(model.auditFields())))
                .onFailure(PgErrors::isForeignKeyViolation)
                .transform(e -> ApiException.conflict(
                        "MODEL_IN_USE", "model " + id + " still has devices or claims; remove them first"))
                .replaceWithVoid();
    }

    /** Resolves a model by name within the tenant, or fails with {@code UNKNOWN_MODEL}. */
    @WithSession
    public Uni<DeviceModel> byName(String tenantId, String name) {
        return repository
                .find("tenantId = ?1 and name = ?2", tenantId, name)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.badRequest("UNKNOWN_MODEL", "model '" + name + "' does not exist"));
    }

    private Uni<DeviceModel> find(String tenantId, UUID id) {
        return repository
                .find("tenantId = ?1 and id = ?2", tenantId, id)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("model", id));
    }

    private Uni<Void> record(String tenantId, String actor, AuditAction action, DeviceModel model, JsonObject summary) {
        return audit.recordInSession(
                new AuditEntry(tenantId, actor, action, model.id().toString(), summary));
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict("MODEL_EXISTS", "a model named '" + name + "' already exists");
    }
}
