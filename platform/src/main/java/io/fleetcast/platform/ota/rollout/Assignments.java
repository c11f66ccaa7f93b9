package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.device.DeviceMessages;
import io.fleetcast.platform.ota.OtaConfig;
import io.fleetcast.platform.ota.artifact.DownloadSigner;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Builds assignments and cancels, and hands them to the gateway for connected devices. */
@ApplicationScoped
public class Assignments {

    @Inject
    DeviceMessages messages;

    @Inject
    DownloadSigner signer;

    @Inject
    OtaConfig config;

    @Inject
    Clock clock;

    @Inject
    OtaMetrics metrics;

    /** What an assignment needs from its action and bundle. */
    public record Pending(UUID deviceId, UUID rolloutId, int attempt, String sha256, long size, String baseVersion) {}

    /** Sends the assignment; false when the device has no session on this node. */
    public boolean send(Pending pending, RolloutSpec spec) {
        Instant expiresAt = clock.instant().plus(config.downloadUrlValidity());
        RolloutSpec.WindowSpec window = spec.maintenanceWindow();
        OtaAssignment assignment = new OtaAssignment(
                new ActionId(pending.rolloutId(), pending.attempt()).toString(),
                false,
                spec.version(),
                signer.url(pending.sha256(), pending.deviceId(), expiresAt),
                pending.size(),
                pending.baseVersion() != null,
                pending.baseVersion(),
                spec.mode(),
                Boolean.TRUE.equals(spec.consentRequired()),
                window == null
                        ? null
                        : new OtaAssignment.MaintenanceWindow(
                                window.cron(),
                                window.durationMinutes(),
                                window.timeZone() == null ? "UTC" : window.timeZone()),
                expiresAt);
        boolean sent = messages.send(pending.deviceId().toString(), Topics.OTA, Json.encode(assignment));
        if (sent) {
            metrics.notificationSent();
        }
        return sent;
    }

    /** Tells the device to cancel; false when it has no session on this node. */
    public boolean cancel(UUID deviceId, UUID rolloutId, int attempt) {
        byte[] payload = Json.encode(OtaAssignment.cancel(new ActionId(rolloutId, attempt).toString()));
        boolean sent = messages.send(deviceId.toString(), Topics.OTA, payload);
        if (sent) {
            metrics.cancelSent();
        }
        return sent;
    }
}
