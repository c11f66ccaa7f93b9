package io.fleetcast.agent.internal;

import java.util.Objects;

/**
 * Who the device is on the platform: its id and the credential it was given once at provisioning.
 *
 * @param deviceId MQTT client id and user name of the device connection
 * @param credential MQTT password of the device connection
 */
record DeviceIdentity(String deviceId, String credential) {

    DeviceIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(credential, "credential");
    }

    /** Leaves out the credential, so the identity can be logged. */
    @Override
    public String toString() {
        return "DeviceIdentity[deviceId=" + deviceId + ", credential=***]";
    }
}
