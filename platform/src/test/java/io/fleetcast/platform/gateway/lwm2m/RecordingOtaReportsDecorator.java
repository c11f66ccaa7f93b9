package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.Topics;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Test-only: records every OTA report on its way to the real handler (the rollout engine's), which then
 * handles it as in production.
 */
@Decorator
@Priority(1)
public abstract class RecordingOtaReportsDecorator implements DeviceTopicHandler {

    @Inject
    @Delegate
    @Any
    DeviceTopicHandler delegate;

    @Inject
    RecordingOtaReports log;

    @Override
    public Outcome handle(Message message) {
        if (Topics.OTA_REPORT.equals(delegate.subtopic())) {
            log.record(message);
        }
        return delegate.handle(message);
    }
}
