package io.fleetcast.routing.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.net.InetSocketAddress;

/**
 * A plain-TCP MQTT listener on Netty alone, for running the broker engine without a host: the routing
 * core's own tests, the fuzz test and benchmarks. The platform has its own listeners on Vert.x (TLS,
 * client certificates) that build the same pipeline.
 */
public final class BrokerListener implements AutoCloseable {

    /**
     * Outbound bytes above which a channel reports itself unwritable (and its QoS 0 deliveries are
     * dropped), and below which it is writable again. 1 MiB rides out a subscriber that reads a little
     * late (a few hundred large messages) without drops, while a subscriber that stopped reading costs
     * the server at most this much for QoS 0.
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final Channel server;

    private BrokerListener(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** Binds to a loopback port (0 for any free one) with the given number of event loops. */
    public static BrokerListener start(Broker broker, int port, int eventLoops) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(eventLoops);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            ClientConnection connection =
                                    new ClientConnection(broker, channel, channel.eventLoop(), null);
                            channel.pipeline()
                                    .addLast(
                                            "decoder",
                                            new MqttDecoder(broker.config().maxPacketBytes()))
                                    .addLast("encoder", MqttEncoder.INSTANCE)
                                    .addLast("broker", new Adapter(connection));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port))
                    .sync()
                    .channel();
            return new BrokerListener(group, server);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Feeds a channel's decoded packets to its connection. */
    private static final class Adapter extends ChannelInboundHandlerAdapter {
        private final ClientConnection connection;

        Adapter(ClientConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connection.start();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            connection.onMessage(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connection.onClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // I/O errors (connection reset); decoder failures arrive as invalid messages
        }
    }
}
