package io.fleetcast.platform.certificate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Device certificates: validity, limits and how often the gateway reloads the tenant CAs. */
@ConfigMapping(prefix = "fleetcast.certificates")
public interface CertificateConfig {

    /** Lifetime of a device certificate, in days. By default 365. */
    @WithDefault("365")
    int validityDays();

    /**
     * Most unexpired, unrevoked certificates a device may hold. Rotation needs two (old and new);
     * the bound keeps a misbehaving device from filling the table. By default 3.
     */
    @WithDefault("3")
    int maxActivePerDevice();

    /**
     * Seconds between reloads of the tenant CAs the TLS listener trusts. A CA created on this node is
     * trusted at once; one created on another node after at most this long. By default 60.
     */
    @WithDefault("60")
    int trustRefreshSeconds();
}
