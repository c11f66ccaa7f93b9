package io.fleetcast.platform.certificate;

import java.time.OffsetDateTime;

/**
 * A device certificate as the API shows it.
 *
 * @param serial lower-case hex
 * @param fingerprint SHA-256 of the certificate's DER encoding, lower-case hex
 * @param status {@code VALID}, {@code REVOKED} or {@code EXPIRED}
 */
public record CertificateView(
        String serial,
        OffsetDateTime notBefore,
        OffsetDateTime notAfter,
        OffsetDateTime revokedAt,
        String fingerprint,
        String status) {}
