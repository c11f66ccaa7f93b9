package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.Topics;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the OTA feature's handler of {@code op} while none exists: records what devices report,
 * per device. A default bean, so it steps aside once the OTA feature contributes its own handler; tests
 * then read the feature's state instead.
 */
@DefaultBean
@ApplicationScoped
public class RecordingOtaReports implements DeviceTopicHandler {

    private final Map<UUID, BlockingQueue<OtaReport>> reports = new ConcurrentHashMap<>();

    @Override
    public String subtopic() {
        return Topics.OTA_REPORT;
    }

    @Override
    public Outcome handle(Message message) {
        OtaReport report = Json.decode(message.payload(), OtaReport.class);
        of(message.deviceId()).add(report);
        return Outcome.ACCEPTED;
    }

    /** The next report of a device, waiting at most the given time; null when none came. */
    public OtaReport next(String deviceId, long seconds) throws InterruptedException {
        return of(UUID.fromString(deviceId)).poll(seconds, TimeUnit.SECONDS);
    }

    private BlockingQueue<OtaReport> of(UUID deviceId) {
        return reports.computeIfAbsent(deviceId, id -> new LinkedBlockingQueue<>());
    }
}
