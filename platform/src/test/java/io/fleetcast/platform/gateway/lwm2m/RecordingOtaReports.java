package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What devices reported on {@code op}, per device, as {@link RecordingOtaReportsDecorator} saw it on
 * its way to the OTA feature's handler. Lets a test follow a device's reports for an assignment it sent
 * directly, without a rollout behind it.
 */
@ApplicationScoped
public class RecordingOtaReports {

    private final Map<UUID, BlockingQueue<OtaReport>> reports = new ConcurrentHashMap<>();

    void record(DeviceTopicHandler.Message message) {
        try {
            of(message.deviceId()).add(Json.decode(message.payload(), OtaReport.class));
        } catch (Json.MalformedPayloadException ignored) {
            // the handler refuses it; nothing to record
        }
    }

    /** The next report of a device, waiting at most the given time; null when none came. */
    public OtaReport next(String deviceId, long seconds) throws InterruptedException {
        return of(UUID.fromString(deviceId)).poll(seconds, TimeUnit.SECONDS);
    }

    private BlockingQueue<OtaReport> of(UUID deviceId) {
        return reports.computeIfAbsent(deviceId, id -> new LinkedBlockingQueue<>());
    }
}
