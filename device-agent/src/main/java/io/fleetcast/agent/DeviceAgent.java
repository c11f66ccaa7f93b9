package io.fleetcast.agent;

import io.fleetcast.agent.internal.DefaultDeviceAgent;
import io.fleetcast.protocol.ReportedState;
import java.util.Optional;

/**
 * The agent on a device: provisions the device with its claim token on first start, then keeps an MQTT 5
 * connection to the platform open and reports the device's state on it.
 *
 * <p>All work happens on one agent thread; the methods here may be called from any thread and never
 * wait for the network, except {@link #close()}.
 */
public interface DeviceAgent extends AutoCloseable {

    /** An agent that reports nothing to a listener. */
    static DeviceAgent create(AgentConfig config) {
        return create(config, new AgentListener() {});
    }

    /** An agent that tells {@code listener} about provisioning and connection events. */
    static DeviceAgent create(AgentConfig config, AgentListener listener) {
        return new DefaultDeviceAgent(config, listener);
    }

    /**
     * Starts provisioning or connecting in the background and returns at once. Calling it again does
     * nothing.
     *
     * @throws IllegalStateException when the agent is closed, when the state directory holds no
     *     credential and no claim token is configured, or when the stored credential cannot be read
     */
    void start();

    /**
     * Sets the state the device reports. It is published now if connected and it differs from the last
     * state, and again in full after every reconnect. The initial state comes from {@link AgentConfig}.
     * Does nothing once the agent is closed.
     *
     * @throws IllegalArgumentException when the state is not a valid report (see {@link
     *     ReportedState#problems()}) or is too large to publish
     */
    void reportState(ReportedState state);

    /** The device id, once the device is provisioned (now or on an earlier start). */
    Optional<String> deviceId();

    /** The viewer accepts the install of an update that asked for consent. Any thread. */
    void acceptUpdate(String actionId);

    /** The viewer declines it: the action ends REJECTED with {@code CONSENT_DECLINED}. Any thread. */
    void declineUpdate(String actionId);

    /** True while the device connection (not the provisioning connection) is up. */
    boolean isConnected();

    /**
     * Sends a clean DISCONNECT, so that the platform records a client disconnect rather than a lost
     * connection, and stops the agent thread. Waits a few seconds at most. Calling it again does
     * nothing.
     */
    @Override
    void close();
}
