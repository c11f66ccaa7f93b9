package io.fleetcast.platform.device;

/**
 * Sends messages to devices, for features such as OTA and commands. Implemented by {@link DeviceRouter}
 * over the transports (MQTT, LwM2M); an LwM2M device gets the message translated into its objects.
 * Delivery is at least once while the device is connected; a device that is offline does not get the
 * message, so a feature keeps what is pending in its own tables and sends it again on
 * {@link DeviceOnline}.
 */
public interface DeviceMessages {

    /**
     * Publishes a payload at QoS 1 on {@code d/<deviceId>/<subtopic>}. Never blocks.
     *
     * @return true when a session of the device was found to send it on
     */
    boolean send(String deviceId, String subtopic, byte[] payload);
}
