package io.fleetcast.platform.group;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetcast.platform.device.DeviceFilter;
import java.time.Instant;
import java.util.UUID;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupView(UUID id, String name, GroupKind kind, DeviceFilter filter, Instant createdAt) {}
