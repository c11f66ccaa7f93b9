package io.fleetcast.platform.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record ModelView(
        UUID id,
        String name,
        DeviceClass deviceClass,
        String hardwareRevision,
        List<String> capabilities,
        Instant createdAt) {}
