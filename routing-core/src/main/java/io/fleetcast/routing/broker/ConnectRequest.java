package io.fleetcast.routing.broker;

import javax.net.ssl.SSLSession;

/**
 * What a client presented in CONNECT.
 *
 * @param clientId the client identifier as sent (possibly empty)
 * @param username the user name, or null
 * @param password the password, or null
 * @param tls the TLS session on a TLS listener (for client certificates), else null
 * @param address the remote host
 * @param protocolVersion 4 for MQTT 3.1.1, 5 for MQTT 5
 * @param cleanStart Clean Start (MQTT 5) or Clean Session (3.1.1)
 * @param authenticationMethod MQTT 5 Authentication Method, or null
 */
public record ConnectRequest(
        String clientId,
        String username,
        byte[] password,
        SSLSession tls,
        String address,
        int protocolVersion,
        boolean cleanStart,
        String authenticationMethod) {

    /** The password as UTF-8 text, or null. */
    public String passwordText() {
        return password == null ? null : new String(password, java.nio.charset.StandardCharsets.UTF_8);
    }
}
