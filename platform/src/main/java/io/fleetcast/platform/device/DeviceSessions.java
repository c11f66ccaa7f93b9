package io.fleetcast.platform.device;

import io.fleetcast.protocol.DisconnectReason;

/**
 * The live connections of devices, as the registry needs them. Implemented by the MQTT gateway; the
 * registry calls it after disabling or deleting a device so the device is cut off at once.
 */
public interface DeviceSessions {

    /** Closes the device's live session, if this node holds one. Never blocks. */
    void disconnect(String deviceId, DisconnectReason reason);
}
