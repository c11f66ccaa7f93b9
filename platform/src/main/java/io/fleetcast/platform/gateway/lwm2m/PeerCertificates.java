package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.certificate.Subjects;
import io.fleetcast.platform.certificate.TenantTrustManager;
import java.net.InetSocketAddress;
import java.security.cert.CertPath;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * The DTLS half of the device check, as the MQTT TLS listener does it: the client certificate must chain
 * to some tenant's CA and be within its validity, or the handshake fails. Which device it belongs to,
 * whether it is revoked and whether the device's own tenant issued it is decided at Register, against
 * the database ({@link DeviceAuthorizer}).
 *
 * <p>Leshan passes only the certificate's common name on to the registration layer, so the verified
 * certificate is kept here by common name (the device id) for the authorizer to look up, one per device,
 * the latest. It stays after the registration ends, because a device may register again within the same
 * DTLS session, without a new handshake; the authorizer checks it against the database every time, so a
 * stale entry grants nothing. Beyond {@link #MAX_DEVICES}, more than the DTLS connections Scandium keeps by
 * default (150,000), the least recently used entries go: normally devices whose session is gone too. One
 * that still holds its session is refused at Register until its next handshake. Called on Scandium's
 * handshake threads.
 */
final class PeerCertificates implements NewAdvancedCertificateVerifier {

    static final int MAX_DEVICES = 200_000;

    private final TenantTrustManager trust;

    /** Guarded by itself; access-ordered, so the eldest entry is the least recently used. */
    private final Map<String, X509Certificate> byDevice = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
            return size() > MAX_DEVICES;
        }
    };

    PeerCertificates(TenantTrustManager trust) {
        this.trust = trust;
    }

    /** The certificate a device last completed a DTLS handshake with, or null. */
    X509Certificate of(String deviceId) {
        synchronized (byDevice) {
            return byDevice.get(deviceId);
        }
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(CertificateType.X_509);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(
            ConnectionId cid,
            ServerNames serverName,
            InetSocketAddress remotePeer,
            boolean clientUsage,
            boolean verifySubject,
            boolean truncateCertificatePath,
            CertificateMessage message) {
        CertPath path = message.getCertificateChain();
        if (path == null || path.getCertificates().isEmpty()) {
            return refused(cid, "no client certificate");
        }
        X509Certificate[] chain = path.getCertificates().toArray(new X509Certificate[0]);
        try {
            trust.checkClientTrusted(chain, "EC");
        } catch (CertificateException e) {
            return refused(cid, e.getMessage());
        }
        String commonName = Subjects.commonName(chain[0]);
        if (commonName == null) {
            return refused(cid, "certificate without common name");
        }
        synchronized (byDevice) {
            byDevice.put(commonName, chain[0]);
        }
        return new CertificateVerificationResult(cid, path, null);
    }

    private static CertificateVerificationResult refused(ConnectionId cid, String why) {
        AlertMessage alert =
                new AlertMessage(AlertMessage.AlertLevel.FATAL, AlertMessage.AlertDescription.BAD_CERTIFICATE);
        return new CertificateVerificationResult(cid, new HandshakeException(why, alert), null);
    }

    /** None, for the reason {@link TenantTrustManager#getAcceptedIssuers()} gives. */
    @Override
    public List<X500Principal> getAcceptedIssuers() {
        return List.of();
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // Results are always returned synchronously.
    }
}
