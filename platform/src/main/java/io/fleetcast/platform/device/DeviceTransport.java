package io.fleetcast.platform.device;

import io.fleetcast.protocol.DisconnectReason;

/**
 * One way devices reach this node (the MQTT gateway, the LwM2M server). Features never use a transport
 * directly: {@link DeviceRouter} asks each in turn, so they stay unaware of how a device is connected.
 * Implementations are CDI beans; every method is called from any thread and must not block.
 */
public interface DeviceTransport {

    /**
     * Delivers a message meant for {@code d/<deviceId>/<subtopic>} in this transport's terms.
     *
     * @return true when this transport holds a session or registration of the device and took the message
     */
    boolean send(String deviceId, String subtopic, byte[] payload);

    /** Ends the device's session or registration, if this transport holds one. */
    void disconnect(String deviceId, DisconnectReason reason);

    /** Ends the device's session if it authenticated with the given certificate. */
    void disconnectCertificate(String deviceId, String certificateSerial, DisconnectReason reason);
}
