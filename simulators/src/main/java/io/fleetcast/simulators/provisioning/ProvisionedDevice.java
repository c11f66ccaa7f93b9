package io.fleetcast.simulators.provisioning;

/** What a successful provisioning gives a device: its identity and the credential to connect with. */
public record ProvisionedDevice(String serial, String deviceId, String credential) {

    @Override
    public String toString() {
        // Keeps credentials out of logs and exception messages.
        return "ProvisionedDevice[serial=" + serial + ", deviceId=" + deviceId + "]";
    }
}
