package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.protocol.Credentials;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;

/**
 * What a CONNECT sends. Clean start, session expiry 0: the agent keeps no session state on the server
 * yet.
 *
 * @param password null when the device authenticates with its certificate
 * @param socketFactory TLS with the configured trust and the device certificate; null for Paho's default
 */
record ConnectSettings(
        String serverUri,
        String clientId,
        String username,
        String password,
        Duration keepAlive,
        SSLSocketFactory socketFactory) {

    /** The provisioning connection: client id {@code prov-<serial>}, user {@code $claim}, the claim token as password. */
    static ConnectSettings claim(AgentConfig config) {
        return new ConnectSettings(
                config.serverUri(),
                Credentials.CLAIM_CLIENT_PREFIX + config.serial(),
                Credentials.CLAIM_USERNAME,
                config.claimToken().orElseThrow(() -> new IllegalStateException("no claim token configured")),
                config.keepAlive(),
                TlsContexts.socketFactory(config, null));
    }

    /**
     * The device connection: client id and user name are the device id. With a certificate the device
     * proves who it is in the TLS handshake and sends no password; otherwise the credential is the password.
     */
    static ConnectSettings device(AgentConfig config, DeviceIdentity identity, DeviceCertificate certificate) {
        return new ConnectSettings(
                config.serverUri(),
                identity.deviceId(),
                identity.deviceId(),
                certificate == null ? identity.credential() : null,
                config.keepAlive(),
                TlsContexts.socketFactory(config, certificate));
    }

    /** Leaves out the password, so the settings can be logged. */
    @Override
    public String toString() {
        return "ConnectSettings[serverUri=" + serverUri + ", clientId=" + clientId + ", username=" + username
                + ", keepAlive=" + keepAlive + ", certificate=" + (password == null) + "]";
    }
}
