package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.device.DeviceTransport;
import io.fleetcast.protocol.DisconnectReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** LwM2M registrations as one of the transports the device router reaches devices through. */
@ApplicationScoped
public class Lwm2mTransport implements DeviceTransport {

    @Inject
    Lwm2mServer server;

    @Override
    public boolean send(String deviceId, String subtopic, byte[] payload) {
        return server.send(deviceId, subtopic, payload);
    }

    @Override
    public void disconnect(String deviceId, DisconnectReason reason) {
        server.deregister(deviceId, null, reason);
    }

    @Override
    public void disconnectCertificate(String deviceId, String certificateSerial, DisconnectReason reason) {
        server.deregister(deviceId, certificateSerial, reason);
    }
}
