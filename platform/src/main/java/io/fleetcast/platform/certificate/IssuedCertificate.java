package io.fleetcast.platform.certificate;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A device certificate just signed, before or after it is stored.
 *
 * @param serial lower-case hex, as the API shows it
 * @param chain PEM: the device certificate, then the tenant CA
 * @param fingerprint SHA-256 of the DER encoding; how the gateway finds the certificate at CONNECT
 */
record IssuedCertificate(
        String serial,
        X509Certificate certificate,
        String chain,
        byte[] fingerprint,
        Instant notBefore,
        Instant notAfter) {}
