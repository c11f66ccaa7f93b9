package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Takes OTA reports from devices ({@code d/<id>/op}) on the connection's event loop: checks the
 * payload, hands it to the {@link ReportWriter} and returns. A well-formed report for an action this
 * platform does not know is accepted and ignored (logged): the device cannot fix it by resending.
 */
@ApplicationScoped
public class OtaReportHandler implements DeviceTopicHandler {

    private static final Logger LOG = Logger.getLogger(OtaReportHandler.class);

    @Inject
    ReportWriter writer;

    @Override
    public String subtopic() {
        return Topics.OTA_REPORT;
    }

    @Override
    public Outcome handle(Message message) {
        OtaReport report;
        try {
            report = Json.decode(message.payload(), OtaReport.class);
        } catch (Json.MalformedPayloadException e) {
            return Outcome.INVALID_PAYLOAD;
        }
        if (report.state() == null || !report.state().reportedByDevice()) {
            return Outcome.INVALID_PAYLOAD;
        }
        ActionId action = ActionId.parse(report.actionId());
        if (action == null) {
            LOG.infof(
                    "Ignored OTA report for unknown action %s deviceId=%s tenantId=%s",
                    report.actionId(), message.deviceId(), message.tenantId());
            return Outcome.ACCEPTED;
        }
        writer.accept(
                action.rolloutId(),
                message.deviceId(),
                new ReportWriter.Report(message.tenantId(), action.attempt(), report.state(), errorCode(report)));
        return Outcome.ACCEPTED;
    }

    /** Error codes are short stable tokens; anything longer is cut rather than stored whole. */
    private static String errorCode(OtaReport report) {
        String code = report.errorCode();
        return code == null || code.length() <= 64 ? code : code.substring(0, 64);
    }
}
