package io.fleetcast.platform.gateway.mqtt;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The client certificate of a TLS connection, already verified by the handshake. */
final class ClientCertificates {

    private ClientCertificates() {}

    /** The client's own certificate, or null on plain TCP or when the client sent none. */
    static X509Certificate of(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate certificate ? certificate : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }
}
