package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.platform.certificate.TenantTrustManager;
import io.fleetcast.routing.broker.Broker;
import io.fleetcast.routing.broker.BrokerListener;
import io.fleetcast.routing.broker.ClientConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.net.impl.NetSocketInternal;
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
 * device certificates (mutual TLS) issued by the tenants' CAs. Each listener runs as several verticle
 * instances that share the port, one per event loop, so connections spread over the cores.
 *
 * <p>Vert.x accepts the connection and does TLS; the pipeline then gets Netty's MQTT decoder and
 * encoder and the broker engine takes over (decision 0005): its fan-out writes straight to the
 * channel, which vertx-mqtt's endpoint could not do without copying every payload.
 */
@ApplicationScoped
public class MqttGateway {

    private static final Logger LOG = Logger.getLogger(MqttGateway.class);

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Inject
    Vertx vertx;

    @Inject
    Broker broker;

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
            NetServerOptions tls = options()
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
     * Tells connected clients the node is going away, so they reconnect elsewhere at once, and waits
     * briefly for their close handlers so that {@code DeviceActivity} (which observes shutdown later)
     * writes them offline.
     */
    void onStop(@Observes @Priority(ShutdownOrder.GATEWAY) ShutdownEvent event) {
        listening = false;
        broker.shutdown();
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (broker.connectionCount() > 0 && System.nanoTime() < deadline) {
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

    private NetServerOptions options() {
        return new NetServerOptions().setHost(config.host()).setTcpNoDelay(true).setAcceptBacklog(4096);
    }

    private void deploy(NetServerOptions options, int instances) throws Exception {
        vertx.deployVerticle(
                        () -> new Listener(options, this::onConnection),
                        new DeploymentOptions().setInstances(instances))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    /** Puts the MQTT codec in the connection's pipeline and hands it to the broker engine. */
    private void onConnection(NetSocket socket) {
        NetSocketInternal internal = (NetSocketInternal) socket;
        Channel channel = internal.channelHandlerContext().channel();
        channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, BrokerListener.WATER_MARK);
        ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
        pipeline.addBefore(
                "handler", "mqttDecoder", new MqttDecoder(broker.config().maxPacketBytes()));
        pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
        Context context = Vertx.currentContext();
        ClientConnection connection = new ClientConnection(
                broker,
                channel,
                action -> context.runOnContext(v -> action.run()),
                socket.isSsl() ? socket.sslSession() : null);
        internal.messageHandler(connection::onMessage);
        internal.closeHandler(v -> connection.onClosed());
        internal.exceptionHandler(failure -> LOG.debugf("MQTT connection failed: %s", failure.getMessage()));
        connection.start();
    }

    /** One instance of a listener, bound to one event loop. */
    private static final class Listener extends AbstractVerticle {
        private final NetServerOptions options;
        private final io.vertx.core.Handler<NetSocket> handler;
        private NetServer server;

        Listener(NetServerOptions options, io.vertx.core.Handler<NetSocket> handler) {
            this.options = options;
            this.handler = handler;
        }

        @Override
        public void start(Promise<Void> started) {
            server = vertx.createNetServer(options);
            server.connectHandler(handler)
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
