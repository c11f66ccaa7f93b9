package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.platform.certificate.TenantTrustManager;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.DisconnectReason;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The MQTT listeners: plain TCP, and TLS when a certificate is configured. The TLS listener also takes
 * device certificates (mutual TLS) issued by the tenants' CAs. Each listener runs as
 * several verticle instances that share the port, one per event loop, so connections spread over the
 * cores.
 */
@ApplicationScoped
public class MqttGateway {

    private static final Logger LOG = Logger.getLogger(MqttGateway.class);

    /** Room for the fixed header, topic and properties around the largest payload. */
    private static final int PACKET_OVERHEAD = 1024;

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Inject
    Vertx vertx;

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    @Inject
    TenantTrustManager trust;

    private volatile boolean listening;
    private volatile int tlsPort = -1;

    void onStart(@Observes StartupEvent event) throws Exception {
        int instances = config.instances().orElse(Runtime.getRuntime().availableProcessors());
        deploy(options().setPort(config.port()), instances);
        LOG.infof("MQTT listening on %s:%d", config.host(), config.port());
        if (config.tls().certificate().isPresent() && config.tls().key().isPresent()) {
            MqttServerOptions tls = options()
                    .setPort(config.tls().port())
                    .setSsl(true)
                    .setPemKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(config.tls().certificate().get())
                            .setKeyPath(config.tls().key().get()))
                    // Requested, not required: devices with a credential use the same port without a
                    // certificate. A certificate that is sent must chain to a tenant CA, or the
                    // handshake fails (foreign CA, expired).
                    .setClientAuth(ClientAuth.REQUEST)
                    .setTrustOptions(TrustOptions.wrap(trust));
            deploy(tls, instances);
            tlsPort = config.tls().port();
            LOG.infof("MQTT over TLS listening on %s:%d", config.host(), tlsPort);
        }
        listening = true;
    }

    /**
     * Tells connected devices the node is going away, so they reconnect elsewhere at once, and waits
     * briefly for their close handlers so that {@code DeviceActivity} (which observes shutdown later)
     * writes them offline.
     */
    void onStop(@Observes @Priority(ShutdownOrder.GATEWAY) ShutdownEvent event) {
        listening = false;
        gateway.sessions.all().forEach(connection -> connection.kick(DisconnectReason.SERVER_SHUTDOWN));
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (gateway.sessions.size() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
    }

    public boolean isListening() {
        return listening;
    }

    public int port() {
        return config.port();
    }

    /** The TLS port, or -1 when TLS is off. */
    public int tlsPort() {
        return tlsPort;
    }

    private MqttServerOptions options() {
        return new MqttServerOptions()
                .setHost(config.host())
                .setMaxMessageSize(config.maxPayloadBytes() + PACKET_OVERHEAD)
                .setTimeoutOnConnect(config.connectTimeoutSeconds())
                .setAutoClientId(false);
    }

    private void deploy(MqttServerOptions options, int instances) throws Exception {
        vertx.deployVerticle(
                        () -> new Listener(options, this::onEndpoint), new DeploymentOptions().setInstances(instances))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private void onEndpoint(MqttEndpoint endpoint) {
        boolean claim = endpoint.auth() != null
                && Credentials.CLAIM_USERNAME.equals(endpoint.auth().getUsername());
        Connection connection =
                claim ? new ClaimConnection(endpoint, gateway) : new DeviceConnection(endpoint, gateway);
        connection.start();
    }

    /** One instance of a listener, bound to one event loop. */
    private static final class Listener extends AbstractVerticle {
        private final MqttServerOptions options;
        private final io.vertx.core.Handler<MqttEndpoint> handler;
        private MqttServer server;

        Listener(MqttServerOptions options, io.vertx.core.Handler<MqttEndpoint> handler) {
            this.options = options;
            this.handler = handler;
        }

        @Override
        public void start(Promise<Void> started) {
            server = MqttServer.create(vertx, options);
            server.endpointHandler(handler)
                    .exceptionHandler(failure -> LOG.debugf("MQTT connection failed: %s", failure.getMessage()))
                    .listen()
                    .<Void>mapEmpty()
                    .onComplete(started);
        }

        @Override
        public void stop(Promise<Void> stopped) {
            server.close().onComplete(stopped);
        }
    }
}
