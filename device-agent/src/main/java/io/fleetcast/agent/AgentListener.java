package io.fleetcast.agent;

import io.fleetcast.protocol.ProvisionError;

/**
 * Tells the application what the agent did. Every method has an empty default, so implement only what
 * you need.
 *
 * <p><b>Threading:</b> the agent calls these methods on its own single thread ({@code fleetcast-agent}),
 * one at a time and in the order the events happened. They must return quickly and must not block:
 * while one runs, the agent can neither publish nor reconnect. Calling {@link DeviceAgent} methods from
 * here is allowed ({@link DeviceAgent#close()} then returns without waiting for the DISCONNECT). An
 * exception thrown here is logged and otherwise ignored.
 */
public interface AgentListener {

    /** The platform accepted the claim and the device credential is stored. Comes before {@link #connected}. */
    default void provisioned(String deviceId) {}

    /**
     * The platform refused to provision the device. The agent retries: at the maximum reconnect delay
     * when the error is permanent for this claim (all but {@link ProvisionError#UNAVAILABLE}), because an
     * operator may still fix the claim.
     */
    default void provisioningRejected(ProvisionError error, String message) {}

    /** The device connection is up; the full state is being published. */
    default void connected(String deviceId) {}

    /**
     * The device connection went down: the server sent DISCONNECT, the network failed, or the
     * application closed the agent. The agent reconnects unless it was closed.
     *
     * @param reason human-readable, e.g. {@code server sent DISCONNECT 0x8E session taken over}
     */
    default void disconnected(String reason) {}

    /**
     * The server refused a CONNECT, of the device or of its claim. The agent retries at the maximum
     * reconnect delay, since the cause (bad credential, disabled device, expired claim) needs an
     * operator.
     *
     * @param reasonCode the MQTT 5 CONNACK reason code, e.g. {@code 0x86} bad user name or password,
     *     {@code 0x87} not authorized
     * @param reason the server's reason string when the client library exposes one, otherwise the
     *     standard name of the code
     */
    default void connectionRefused(int reasonCode, String reason) {}

    /**
     * An update is downloaded and verified and waits for the viewer's consent (only when {@link
     * AgentConfig#otaAutoConsent()} is false). Answer with {@link DeviceAgent#acceptUpdate} or {@link
     * DeviceAgent#declineUpdate}, from any thread, now or later.
     */
    default void updateConsentRequested(String actionId, String version) {}
}
