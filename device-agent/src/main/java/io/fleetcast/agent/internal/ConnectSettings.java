package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.protocol.Credentials;
import java.time.Duration;

/**
 * What a CONNECT sends. Clean start, session expiry 0: the agent keeps no session state on the server
 * yet.
 */
record ConnectSettings(String serverUri, String clientId, String username, String password, Duration keepAlive) {

    /** The provisioning connection: client id {@code prov-<serial>}, user {@code $claim}, the claim token as password. */
    static ConnectSettings claim(AgentConfig config) {
        return new ConnectSettings(
                config.serverUri(),
                Credentials.CLAIM_CLIENT_PREFIX + config.serial(),
                Credentials.CLAIM_USERNAME,
                config.claimToken().orElseThrow(() -> new IllegalStateException("no claim token configured")),
                config.keepAlive());
    }

    /** The device connection: client id and user name are the device id, the credential is the password. */
    static ConnectSettings device(AgentConfig config, DeviceIdentity identity) {
        return new ConnectSettings(
                config.serverUri(),
                identity.deviceId(),
                identity.deviceId(),
                identity.credential(),
                config.keepAlive());
    }

    /** Leaves out the password, so the settings can be logged. */
    @Override
    public String toString() {
        return "ConnectSettings[serverUri=" + serverUri + ", clientId=" + clientId + ", username=" + username
                + ", keepAlive=" + keepAlive + "]";
    }
}
