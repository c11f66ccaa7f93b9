package io.fleetcast.simulators.fanout.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** Native epoll where Netty can load it (Linux), else NIO: same behaviour, epoll is just cheaper. */
public record Transport(String name, EventLoopGroup group, Class<? extends SocketChannel> channelType) {

    public static Transport create(String threadPrefix, int threads) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory(threadPrefix, true);
        if (Epoll.isAvailable()) {
            return new Transport("epoll", new EpollEventLoopGroup(threads, threadFactory), EpollSocketChannel.class);
        }
        return new Transport("nio", new NioEventLoopGroup(threads, threadFactory), NioSocketChannel.class);
    }

    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
