package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.device.DeviceMessages;
import io.fleetcast.platform.device.DeviceSessions;
import io.fleetcast.protocol.DisconnectReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices connected to this node, by device id. At most one session per device: a new connection
 * takes the session over and the old one is closed. Bounded by the connections a node can hold.
 */
@ApplicationScoped
public class SessionRegistry implements DeviceSessions, DeviceMessages {

    private final Map<String, DeviceConnection> sessions = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry metrics;

    void onStart(@Observes StartupEvent event) {
        metrics.gaugeMapSize("fleetcast.mqtt.connections", List.of(), sessions);
    }

    /** Registers a session; returns the session it replaced, if any. */
    DeviceConnection register(String deviceId, DeviceConnection connection) {
        return sessions.put(deviceId, connection);
    }

    /** Removes a session if it is still the registered one; false when a newer one replaced it. */
    boolean unregister(String deviceId, DeviceConnection connection) {
        return sessions.remove(deviceId, connection);
    }

    public int size() {
        return sessions.size();
    }

    @Override
    public void disconnect(String deviceId, DisconnectReason reason) {
        DeviceConnection connection = sessions.get(deviceId);
        if (connection != null) {
            connection.kick(reason);
        }
    }

    @Override
    public void disconnectCertificate(String deviceId, String certificateSerial, DisconnectReason reason) {
        DeviceConnection connection = sessions.get(deviceId);
        if (connection != null && certificateSerial.equals(connection.certificateSerial())) {
            connection.kick(reason);
        }
    }

    @Override
    public boolean send(String deviceId, String subtopic, byte[] payload) {
        DeviceConnection connection = sessions.get(deviceId);
        if (connection == null) {
            return false;
        }
        connection.send(subtopic, payload);
        return true;
    }

    Collection<DeviceConnection> all() {
        return sessions.values();
    }
}
