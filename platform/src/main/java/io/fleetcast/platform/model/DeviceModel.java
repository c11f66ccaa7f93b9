package io.fleetcast.platform.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A device model a manufacturer builds, e.g. a 55-inch TV of 2026. */
@Entity
@Table(name = "device_models")
public class DeviceModel {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(nullable = false)
    private String name;

    @Column(name = "device_class", nullable = false)
    private String deviceClass;

    @Column(name = "hardware_revision")
    private String hardwareRevision;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    private List<String> capabilities;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected DeviceModel() {}

    DeviceModel(UUID id, String tenantId, ModelRequest request, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.createdAt = createdAt;
        apply(request);
    }

    void apply(ModelRequest request) {
        this.name = request.name();
        this.deviceClass = request.deviceClass().wireName();
        this.hardwareRevision = request.hardwareRevision();
        this.capabilities = List.copyOf(request.capabilities() == null ? List.of() : request.capabilities());
    }

    public UUID id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    /** The fields the audit log shows of a model. */
    Map<String, Object> auditFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("deviceClass", deviceClass);
        fields.put("hardwareRevision", hardwareRevision);
        fields.put("capabilities", List.copyOf(capabilities));
        return fields;
    }

    ModelView view() {
        return new ModelView(
                id, name, DeviceClass.fromWireName(deviceClass), hardwareRevision, capabilities, createdAt);
    }
}
