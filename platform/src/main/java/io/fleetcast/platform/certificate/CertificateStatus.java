package io.fleetcast.platform.certificate;

import java.time.Instant;
import java.util.UUID;

/**
 * What the gateway needs at CONNECT about a presented certificate that it issued.
 *
 * @param certificateTenantId the tenant whose CA signed it
 * @param deviceTenantId the tenant the device belongs to now
 */
public record CertificateStatus(
        String serial,
        UUID deviceId,
        String certificateTenantId,
        String deviceTenantId,
        boolean revoked,
        Instant notAfter,
        boolean deviceEnabled) {}
