package io.fleetcast.platform.gateway.mqtt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;

/** The MQTT gateway's listeners and limits. */
@ConfigMapping(prefix = "fleetcast.mqtt")
public interface GatewayConfig {

    /** Interface to listen on. By default all. */
    @WithDefault("0.0.0.0")
    String host();

    /** Plain TCP port. By default 1883. */
    @WithDefault("1883")
    int port();

    /** TLS listener; started only when a certificate and key are configured. */
    Tls tls();

    /** Largest PUBLISH payload accepted, in bytes; larger packets close the connection. */
    @WithDefault("65536")
    int maxPayloadBytes();

    /** Seconds a new connection has to send CONNECT. */
    @WithDefault("10")
    int connectTimeoutSeconds();

    /** Seconds a claim connection may stay open to provision. */
    @WithDefault("30")
    int claimSessionSeconds();

    /** Listener instances sharing the port; by default one per core. */
    OptionalInt instances();

    interface Tls {

        /** TLS port. By default 8883. */
        @WithDefault("8883")
        int port();

        /** PEM certificate chain of the server. */
        Optional<String> certificate();

        /** PEM private key of the server. */
        Optional<String> key();
    }
}
