package io.fleetcast.simulators.connect;

import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.simulators.mqtt.MqttClients;
import io.fleetcast.simulators.provisioning.ProvisionedDevice;
import java.time.Duration;
import java.util.List;

/** Connects provisioned devices with their own credentials, each reporting the same state. */
public final class DeviceConnector {

    /** Encoded once: every simulated TV reports the same factory state. */
    private static final byte[] STATE = Json.encode(new ReportedState("1.0.0", "a", List.of(), List.of("4k")));

    private final MqttClients clients;
    private final Duration timeout;

    /** @param timeout bound on the state report; connects use the clients' connect timeout */
    public DeviceConnector(MqttClients clients, Duration timeout) {
        this.clients = clients;
        this.timeout = timeout;
    }

    /** Starts connecting the device; see {@link DeviceConnection} for the outcome. */
    public DeviceConnection connect(ProvisionedDevice device) {
        return DeviceConnection.open(clients, device, timeout, STATE);
    }
}
