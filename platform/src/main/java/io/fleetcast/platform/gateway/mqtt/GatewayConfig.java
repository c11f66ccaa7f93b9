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

    /**
     * Accept clients without credentials, with a plain broker's rights (see AnonymousPolicy). For
     * local testing against standard MQTT test suites and for benchmarks; never in production.
     */
    @WithDefault("false")
    boolean anonymous();

    /** QoS 1 and 2 messages kept per session while it is offline or its inflight window is full. */
    @WithDefault("1000")
    int maxQueuedMessages();

    /** Subscriptions one session may hold. */
    @WithDefault("100")
    int maxSubscriptions();

    /** Longest session expiry granted, in seconds; MQTT 3.1.1 persistent sessions get this. */
    @WithDefault("604800")
    long maxSessionExpirySeconds();

    /** Milliseconds a client may stay unreadable while its QoS 0 messages are dropped, before it is cut off. */
    @WithDefault("10000")
    long slowConsumerMillis();

    /** Inbound packets per second one connection may send before it is disconnected as a flood. */
    @WithDefault("10000")
    int maxPacketsPerSecond();

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
