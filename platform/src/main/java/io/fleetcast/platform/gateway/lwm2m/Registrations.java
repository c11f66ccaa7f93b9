package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.device.DeviceActivity;
import io.fleetcast.platform.device.DeviceOnline;
import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.ReportedState;
import jakarta.enterprise.event.Event;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.jboss.logging.Logger;

/**
 * Turns LwM2M registrations into the registry's presence and reported state, and /5 observations into
 * OTA progress. On Register: reads /3/0 (firmware version → reported state), observes /3/0/3, /5/0/3 and
 * /5/0/5, and only then marks the device online and fires {@link DeviceOnline}, so that an assignment
 * the OTA feature sends in answer finds the observations in place. A registration update counts as a
 * sign of life; Deregister and expiry mark the device offline.
 *
 * <p>Leshan calls these listeners on its own threads; nothing here blocks.
 */
final class Registrations implements RegistrationListener, ObservationListener {

    private static final Logger LOG = Logger.getLogger(Registrations.class);

    private final Lwm2mRequests requests;
    private final FirmwareUpdates firmware;
    private final DeviceActivity activity;
    private final Event<DeviceOnline> online;

    Registrations(
            Lwm2mRequests requests, FirmwareUpdates firmware, DeviceActivity activity, Event<DeviceOnline> online) {
        this.requests = requests;
        this.firmware = firmware;
        this.activity = activity;
        this.online = online;
    }

    @Override
    public void registered(Registration registration, Registration previous, Collection<Observation> observations) {
        UUID deviceId = UUID.fromString(registration.getEndpoint());
        String tenantId = registration.getApplicationData().get(DeviceAuthorizer.TENANT);
        LOG.infof(
                "Device registered over LwM2M deviceId=%s tenantId=%s address=%s secure=%s",
                deviceId,
                tenantId,
                registration.getSocketAddress(),
                registration.getClientTransportData().getIdentity().isSecure());
        firmware.registered(registration);
        requests.send(registration, new ReadRequest(DeviceObject.ID, 0), response -> {
            if (response.isSuccess()) {
                DeviceObject.Facts facts = DeviceObject.Facts.of(response.getContent());
                LOG.infof(
                        "LwM2M device facts deviceId=%s manufacturer=%s model=%s serial=%s firmware=%s",
                        deviceId, facts.manufacturer(), facts.model(), facts.serial(), facts.firmwareVersion());
                report(deviceId, facts.reportedState());
            }
        });

        // Online once every observation has been answered (or failed), see the class comment.
        boolean hasFirmware = registration.getSupportedVersion(FirmwareObject.ID) != null;
        AtomicInteger pending = new AtomicInteger(hasFirmware ? 3 : 1);
        Runnable answered = () -> {
            if (pending.decrementAndGet() == 0) {
                activity.connected(deviceId);
                online.fireAsync(new DeviceOnline(tenantId, deviceId));
            }
        };
        observe(registration, new ObserveRequest(DeviceObject.ID, 0, DeviceObject.FIRMWARE_VERSION), answered);
        if (hasFirmware) {
            observe(registration, new ObserveRequest(FirmwareObject.ID, 0, FirmwareObject.STATE), answered);
            observe(registration, new ObserveRequest(FirmwareObject.ID, 0, FirmwareObject.UPDATE_RESULT), answered);
        }
    }

    private void observe(Registration registration, ObserveRequest request, Runnable answered) {
        requests.send(
                registration,
                request,
                response -> {
                    if (response.isSuccess()) {
                        onResponse((SingleObservation) response.getObservation(), registration, response);
                    } else {
                        LOG.infof(
                                "Observe refused endpoint=%s path=%s code=%s",
                                registration.getEndpoint(), request.getPath(), response.getCode());
                    }
                    answered.run();
                },
                answered);
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        activity.connected(UUID.fromString(updated.getEndpoint()));
    }

    @Override
    public void unregistered(
            Registration registration, Collection<Observation> observations, boolean expired, Registration next) {
        if (next != null) {
            return; // registered again: presence stays with the new registration
        }
        offline(registration, expired ? DisconnectReason.KEEP_ALIVE_TIMEOUT : DisconnectReason.CLIENT_DISCONNECT);
    }

    /** Records the device offline; also used when the platform ends a registration itself. */
    void offline(Registration registration, DisconnectReason reason) {
        activity.disconnected(UUID.fromString(registration.getEndpoint()), reason);
        LOG.infof("Device deregistered over LwM2M deviceId=%s reason=%s", registration.getEndpoint(), reason);
    }

    @Override
    public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
        if (observation == null || !response.isSuccess()) {
            return;
        }
        LwM2mPath path = observation.getPath();
        if (path.getObjectId() == DeviceObject.ID && path.getResourceId() != null) {
            String version = DeviceObject.text(response.getContent());
            report(
                    UUID.fromString(registration.getEndpoint()),
                    new DeviceObject.Facts(null, null, null, version).reportedState());
        } else if (path.getObjectId() == FirmwareObject.ID && path.getResourceId() != null) {
            Long value = DeviceObject.integer(response.getContent());
            if (value == null) {
                return;
            }
            if (path.getResourceId() == FirmwareObject.STATE) {
                firmware.stateChanged(registration, value);
            } else if (path.getResourceId() == FirmwareObject.UPDATE_RESULT) {
                firmware.resultChanged(registration, value);
            }
        }
    }

    private void report(UUID deviceId, ReportedState state) {
        if (state != null) {
            activity.reported(deviceId, state);
        }
    }

    @Override
    public void newObservation(Observation observation, Registration registration) {}

    @Override
    public void cancelled(Observation observation) {}

    @Override
    public void onResponse(
            CompositeObservation observation, Registration registration, ObserveCompositeResponse response) {}

    @Override
    public void onError(Observation observation, Registration registration, Exception error) {
        LOG.debugf("Observation failed endpoint=%s error=%s", registration.getEndpoint(), error.toString());
    }
}
