package io.fleetcast.platform.device;

import io.fleetcast.protocol.DisconnectReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The one {@link DeviceMessages} and {@link DeviceSessions}: routes to whichever transport holds the
 * device, so features such as OTA need not know whether a device speaks MQTT or LwM2M. A device is
 * connected through at most one transport at a time, so the first that takes a message ends the search.
 */
@ApplicationScoped
public class DeviceRouter implements DeviceMessages, DeviceSessions {

    private final List<DeviceTransport> transports;

    @Inject
    DeviceRouter(Instance<DeviceTransport> transports) {
        this.transports = transports.stream().toList();
    }

    @Override
    public boolean send(String deviceId, String subtopic, byte[] payload) {
        for (DeviceTransport transport : transports) {
            if (transport.send(deviceId, subtopic, payload)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void disconnect(String deviceId, DisconnectReason reason) {
        transports.forEach(transport -> transport.disconnect(deviceId, reason));
    }

    @Override
    public void disconnectCertificate(String deviceId, String certificateSerial, DisconnectReason reason) {
        transports.forEach(transport -> transport.disconnectCertificate(deviceId, certificateSerial, reason));
    }
}
