package io.fleetcast.platform.device;

import io.fleetcast.protocol.DisconnectReason;

/**
 * The live connections of devices, as the registry needs them. Implemented by {@link DeviceRouter} over
 * the transports; the registry calls it after disabling or deleting a device so the device is cut off at once.
 */
public interface DeviceSessions {

    /** Closes the device's live session, if this node holds one. Never blocks. */
    void disconnect(String deviceId, DisconnectReason reason);

    /**
     * Closes the device's live session if this node holds one and it authenticated with the given
     * certificate; a session on another certificate or on the credential stays. Never blocks.
     */
    void disconnectCertificate(String deviceId, String certificateSerial, DisconnectReason reason);
}
