package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaMode;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.OtaState;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.server.registration.Registration;
import org.jboss.logging.Logger;

/**
 * Carries out OTA assignments on LwM2M devices through object 5, and turns what the device's /5 State
 * and Update Result say into {@link OtaReport}s for the OTA feature's handler of {@code op}, as if the
 * device had published them over MQTT.
 *
 * <ul>
 *   <li>Assignment: write Package URI (/5/0/1) with the bundle URL; the device pulls it.
 *   <li>State Downloaded: execute Update (/5/0/2), unless the assignment is download-only.
 *   <li>Cancel: write an empty Package URI, which the object defines as a reset.
 * </ul>
 *
 * <p>At most one action per device, the latest assigned; it lives until its outcome is reported, also
 * across the re-registration a device makes after it rebooted into the new firmware. Callbacks come from
 * Leshan's threads; per-device state is guarded by the action itself.
 */
final class FirmwareUpdates {

    private static final Logger LOG = Logger.getLogger(FirmwareUpdates.class);

    private final Lwm2mRequests requests;
    private final DeviceTopicHandler reports;
    private final Map<String, Action> actions = new ConcurrentHashMap<>();
    /** Per device, the last action whose outcome was delivered. */
    private final Map<String, String> finished = new ConcurrentHashMap<>();

    /** @param reports the handler of {@code op}, or null when no feature takes OTA reports */
    FirmwareUpdates(Lwm2mRequests requests, DeviceTopicHandler reports) {
        this.requests = requests;
        this.reports = reports;
    }

    /** The action in progress on one device and what was last reported of it. */
    private static final class Action {
        final String actionId;
        final String version;
        final boolean downloadOnly;
        OtaState reported;
        boolean updateRequested;
        /** The device registered again after Update was executed: it restarted for the install. */
        boolean restarted;

        Action(OtaAssignment assignment) {
            this.actionId = assignment.actionId();
            this.version = assignment.version();
            this.downloadOnly = assignment.mode() == OtaMode.DOWNLOAD_ONLY;
        }
    }

    /** Starts or cancels an action on a registered device; false when it has no firmware object. */
    boolean assign(Registration registration, OtaAssignment assignment) {
        if (registration.getSupportedVersion(FirmwareObject.ID) == null) {
            LOG.infof("OTA assignment not sent endpoint=%s reason=no_firmware_object", registration.getEndpoint());
            return false;
        }
        String deviceId = registration.getEndpoint();
        if (assignment.cancel()) {
            cancel(registration, assignment.actionId());
            return true;
        }
        if (assignment.bundleUrl() == null || assignment.actionId() == null) {
            return false;
        }
        if (assignment.actionId().equals(finished.get(deviceId))) {
            // Sent again before the OTA feature stored the outcome delivered a moment ago: a new Package
            // URI would install the same firmware once more (object 5 cannot tell it is the same update).
            LOG.debugf(
                    "OTA assignment not sent again endpoint=%s action=%s: it ended", deviceId, assignment.actionId());
            return true;
        }
        Action current = actions.get(deviceId);
        if (current != null && current.actionId.equals(assignment.actionId())) {
            // The OTA feature sends an action again when the device comes back (it cannot know how far
            // the device got): restart only a device that has forgotten it, e.g. after a power cut. Once
            // Update was executed, Idle is the end of the install, not a device that forgot: Update
            // Result tells the outcome, and a new Package URI would install the firmware once more.
            synchronized (current) {
                if (current.updateRequested) {
                    return true;
                }
            }
            requests.send(registration, new ReadRequest(FirmwareObject.ID, 0, FirmwareObject.STATE), response -> {
                Long state = response.isSuccess() ? DeviceObject.integer(response.getContent()) : null;
                if (state != null && state == 0) {
                    writeUri(registration, current, assignment.bundleUrl());
                }
            });
            return true;
        }
        Action action = new Action(assignment);
        Action previous = actions.put(deviceId, action);
        if (previous == null) {
            writeUri(registration, action, assignment.bundleUrl());
        } else {
            // A new URI on a device that is busy with another package is refused by the object; reset first.
            requests.send(
                    registration, resetRequest(), response -> writeUri(registration, action, assignment.bundleUrl()));
        }
        LOG.infof(
                "OTA assignment sent over LwM2M endpoint=%s action=%s version=%s",
                deviceId, action.actionId, action.version);
        return true;
    }

    private void writeUri(Registration registration, Action action, String bundleUrl) {
        requests.send(
                registration,
                new WriteRequest(FirmwareObject.ID, 0, FirmwareObject.PACKAGE_URI, bundleUrl),
                response -> {
                    if (!response.isSuccess()) {
                        LOG.infof(
                                "Package URI refused endpoint=%s code=%s",
                                registration.getEndpoint(), response.getCode());
                        finish(registration, action, OtaState.FAILED, "INVALID_URI", response.getErrorMessage());
                    }
                });
    }

    private void cancel(Registration registration, String actionId) {
        String deviceId = registration.getEndpoint();
        requests.send(registration, resetRequest(), response -> {
            if (!response.isSuccess()) {
                // The object refuses a reset while Updating: the install goes on and reports its result.
                LOG.infof("Cancel refused endpoint=%s action=%s code=%s", deviceId, actionId, response.getCode());
                return;
            }
            Action action = actions.get(deviceId);
            if (action != null && action.actionId.equals(actionId)) {
                finish(registration, action, OtaState.CANCELED, null, null);
            } else {
                deliver(registration, new OtaReport(actionId, OtaState.CANCELED, null, null, null, null, null));
            }
        });
    }

    private static WriteRequest resetRequest() {
        return new WriteRequest(FirmwareObject.ID, 0, FirmwareObject.PACKAGE_URI, "");
    }

    /**
     * The device registered (again). After Update was executed this is the reboot into the new
     * firmware: a failure reported from now on means the device runs its previous firmware again.
     */
    void registered(Registration registration) {
        Action action = actions.get(registration.getEndpoint());
        if (action != null) {
            synchronized (action) {
                action.restarted |= action.updateRequested;
            }
        }
    }

    /** A new value of /5/0/3 State. */
    void stateChanged(Registration registration, long state) {
        Action action = actions.get(registration.getEndpoint());
        OtaState reported = FirmwareObject.ofState(state);
        if (action == null || reported == null) {
            return;
        }
        boolean requestUpdate;
        synchronized (action) {
            if (action.reported == reported || action.reported != null && action.reported.terminal()) {
                return;
            }
            action.reported = reported;
            requestUpdate = reported == OtaState.DOWNLOADED && !action.downloadOnly && !action.updateRequested;
            action.updateRequested |= requestUpdate;
        }
        deliver(registration, new OtaReport(action.actionId, reported, null, null, null, null, null));
        if (requestUpdate) {
            requests.send(registration, new ExecuteRequest(FirmwareObject.ID, 0, FirmwareObject.UPDATE), response -> {
                if (!response.isSuccess()) {
                    LOG.infof("Update refused endpoint=%s code=%s", registration.getEndpoint(), response.getCode());
                }
            });
        }
    }

    /** A new value of /5/0/5 Update Result. */
    void resultChanged(Registration registration, long result) {
        Action action = actions.get(registration.getEndpoint());
        FirmwareObject.Outcome outcome = FirmwareObject.ofResult(result);
        if (action == null || outcome == null) {
            return;
        }
        boolean rolledBack;
        synchronized (action) {
            rolledBack = action.restarted && result == FirmwareObject.RESULT_UPDATE_FAILED;
        }
        if (rolledBack) {
            // The agent's health check (or the install itself) failed across the reboot, and it runs
            // its previous slot again: what an MQTT device reports as ROLLED_BACK.
            finish(
                    registration,
                    action,
                    OtaState.ROLLED_BACK,
                    "HEALTH_CHECK_FAILED",
                    "the device restarted into its previous firmware (Update Result 8)");
            return;
        }
        finish(registration, action, outcome.state(), outcome.errorCode(), null);
    }

    private void finish(Registration registration, Action action, OtaState state, String errorCode, String message) {
        synchronized (action) {
            if (action.reported != null && action.reported.terminal()) {
                return;
            }
            action.reported = state;
        }
        actions.remove(registration.getEndpoint(), action);
        finished.put(registration.getEndpoint(), action.actionId);
        String version = state == OtaState.SUCCEEDED ? action.version : null;
        deliver(registration, new OtaReport(action.actionId, state, null, null, version, errorCode, message));
    }

    private void deliver(Registration registration, OtaReport report) {
        if (reports == null) {
            return;
        }
        UUID deviceId = UUID.fromString(registration.getEndpoint());
        String tenantId = registration.getApplicationData().get(DeviceAuthorizer.TENANT);
        DeviceTopicHandler.Outcome outcome =
                reports.handle(new DeviceTopicHandler.Message(tenantId, deviceId, Json.encode(report)));
        LOG.debugf(
                "OTA report from LwM2M endpoint=%s action=%s state=%s outcome=%s",
                deviceId, report.actionId(), report.state(), outcome);
    }
}
