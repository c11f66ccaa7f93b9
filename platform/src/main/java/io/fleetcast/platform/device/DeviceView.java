package io.fleetcast.platform.device;

import io.fleetcast.protocol.ReportedState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A device as the API shows it. */
public record DeviceView(
        UUID id,
        String serial,
        String model,
        DeviceStatus status,
        boolean online,
        Instant lastSeen,
        String lastDisconnectReason,
        String firmwareVersion,
        String activeSlot,
        List<String> tags,
        String region,
        ReportedState reported,
        Instant createdAt,
        Instant provisionedAt) {}
