package io.fleetcast.platform.gateway.lwm2m;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Configuration of the LwM2M server, under {@code fleetcast.lwm2m}. */
@ConfigMapping(prefix = "fleetcast.lwm2m")
public interface Lwm2mConfig {

    /** Whether the LwM2M server runs at all. */
    @WithDefault("true")
    boolean enabled();

    /** Address the UDP endpoints bind to. */
    @WithDefault("0.0.0.0")
    String host();

    /**
     * UDP port of plain CoAP. It is always open, so that a device without security gets a clear 4.03
     * instead of retransmitting into silence; registrations on it are refused unless
     * {@link #allowInsecure()}.
     */
    @WithDefault("5683")
    int port();

    /** UDP port of CoAP over DTLS, where devices register with their certificate. */
    @WithDefault("5684")
    int securePort();

    /**
     * Accept NoSec registrations of known, enabled devices on the plain port, with the endpoint name as
     * the only proof of identity. For development and interoperability tests only: anyone who knows a
     * device id can then act as that device. Off by default.
     */
    @WithDefault("false")
    boolean allowInsecure();

    /**
     * PEM certificate (chain) of the server for DTLS, with an EC key. Devices pin it. When unset, a
     * self-signed certificate is made at each start and a warning logged: fine for development only.
     */
    Optional<String> certificate();

    /** PEM private key (EC) matching {@link #certificate()}. */
    Optional<String> key();

    /** How long the server waits for a device's answer to a request (read, write, execute), in seconds. */
    @WithDefault("30")
    int requestTimeoutSeconds();
}
