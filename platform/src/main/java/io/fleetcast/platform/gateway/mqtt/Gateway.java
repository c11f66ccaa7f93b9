package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.certificate.DeviceCertificates;
import io.fleetcast.platform.device.DeviceActivity;
import io.fleetcast.platform.provisioning.ClaimChecker;
import io.fleetcast.platform.provisioning.Provisioner;
import io.fleetcast.platform.security.RateLimits;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What every connection of the gateway needs, gathered so connections stay plain objects. A singleton
 * without a client proxy, because connections read its fields directly.
 */
@Singleton
class Gateway {

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Inject
    SessionRegistry sessions;

    @Inject
    DeviceAuthenticator authenticator;

    @Inject
    DeviceActivity activity;

    @Inject
    ClaimChecker claims;

    @Inject
    Provisioner provisioner;

    @Inject
    RateLimits limits;

    @Inject
    DeviceCertificates certificates;
}
