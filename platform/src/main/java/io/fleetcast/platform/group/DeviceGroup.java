package io.fleetcast.platform.group;

import io.fleetcast.platform.device.DeviceFilter;
import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "device_groups")
public class DeviceGroup {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private GroupKind kind;

    @JdbcTypeCode(SqlTypes.JSON)
    private DeviceFilter filter;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected DeviceGroup() {}

    DeviceGroup(UUID id, String tenantId, GroupRequest request, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.kind = request.kind();
        this.createdAt = createdAt;
        apply(request);
    }

    void apply(GroupRequest request) {
        this.name = request.name();
        this.filter = kind == GroupKind.DYNAMIC ? request.filter() : null;
    }

    UUID id() {
        return id;
    }

    GroupKind kind() {
        return kind;
    }

    DeviceFilter filter() {
        return filter;
    }

    /** The fields the audit log shows of a group; the filter as the API writes it. */
    Map<String, Object> auditFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("kind", kind.name());
        fields.put("filter", filter == null ? null : JsonObject.mapFrom(filter));
        return fields;
    }

    GroupView view() {
        return new GroupView(id, name, kind, filter, createdAt);
    }
}
