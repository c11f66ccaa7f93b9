package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.device.DeviceTransport;
import io.fleetcast.protocol.DisconnectReason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices connected to this node, by device id, so the registry and features can reach them. The
 * broker engine keeps at most one session per client id (a new connection takes it over); this map
 * follows it. Bounded by the connections a node can hold. Features reach it through the device
 * router, as one transport of several.
 */
@ApplicationScoped
public class SessionRegistry implements DeviceTransport {

    private final Map<String, DevicePolicy> sessions = new ConcurrentHashMap<>();

    void register(String deviceId, DevicePolicy connection) {
        sessions.put(deviceId, connection);
    }

    /** Removes a session if it is still the registered one; false when a newer one replaced it. */
    boolean unregister(String deviceId, DevicePolicy connection) {
        return sessions.remove(deviceId, connection);
    }

    public int size() {
        return sessions.size();
    }

    @Override
    public void disconnect(String deviceId, DisconnectReason reason) {
        DevicePolicy connection = sessions.get(deviceId);
        if (connection != null) {
            connection.kick(reason);
        }
    }

    @Override
    public void disconnectCertificate(String deviceId, String certificateSerial, DisconnectReason reason) {
        DevicePolicy connection = sessions.get(deviceId);
        if (connection != null && certificateSerial.equals(connection.certificateSerial())) {
            connection.kick(reason);
        }
    }

    @Override
    public boolean send(String deviceId, String subtopic, byte[] payload) {
        DevicePolicy connection = sessions.get(deviceId);
        if (connection == null) {
            return false;
        }
        connection.send(subtopic, payload);
        return true;
    }
}
