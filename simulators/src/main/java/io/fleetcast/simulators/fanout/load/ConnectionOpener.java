package io.fleetcast.simulators.fanout.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Opens many MQTT connections at a controlled pace: at most {@code inFlight} handshakes at once and
 * at most {@code perSecond} new ones a second, so that the broker's accept queue (somaxconn, 4096
 * here) never overflows. A connection that fails is retried a few times after a growing pause.
 */
public final class ConnectionOpener {

    static final int ATTEMPTS = 4;

    private final Transport transport;
    private final ClientOptions options;
    private final int inFlight;
    private final int perSecond;

    public ConnectionOpener(Transport transport, ClientOptions options, int inFlight, int perSecond) {
        this.transport = transport;
        this.options = options;
        this.inFlight = inFlight;
        this.perSecond = perSecond;
    }

    /** The connections that reached CONNACK, in index order, and why the others failed. */
    public record Opened<H>(List<H> handlers, Map<String, Integer> failures) {}

    <H extends ClientHandler> Opened<H> open(int count, IntFunction<H> handlerFactory) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<H>> results = new ArrayList<>(count);
        long start = System.nanoTime();
        long spacingNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
        for (int i = 0; i < count; i++) {
            long due = start + i * spacingNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            permits.acquire();
            CompletableFuture<H> result = new CompletableFuture<>();
            result.whenComplete((h, e) -> permits.release());
            attempt(i, 1, handlerFactory, result);
            results.add(result);
        }
        List<H> handlers = new ArrayList<>(count);
        Map<String, Integer> failures = new TreeMap<>();
        for (CompletableFuture<H> result : results) {
            try {
                handlers.add(result.join());
            } catch (RuntimeException e) {
                failures.merge(FanoutFailures.describe(e), 1, Integer::sum);
            }
        }
        return new Opened<>(Collections.unmodifiableList(handlers), failures);
    }

    private <H extends ClientHandler> void attempt(
            int index, int attempt, IntFunction<H> handlerFactory, CompletableFuture<H> result) {
        H handler = handlerFactory.apply(index);
        ChannelFuture connect = bootstrap(handler).connect(options.broker());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                retryOrFail(index, attempt, handlerFactory, result, f.cause());
            }
        });
        handler.connected.whenComplete((h, e) -> {
            if (e == null) {
                result.complete(handler);
            } else if (connect.isSuccess()) {
                retryOrFail(index, attempt, handlerFactory, result, e);
            }
        });
    }

    private <H extends ClientHandler> void retryOrFail(
            int index, int attempt, IntFunction<H> handlerFactory, CompletableFuture<H> result, Throwable cause) {
        if (attempt >= ATTEMPTS) {
            result.completeExceptionally(cause);
            return;
        }
        transport
                .group()
                .schedule(
                        () -> attempt(index, attempt + 1, handlerFactory, result),
                        250L * attempt,
                        TimeUnit.MILLISECONDS);
    }

    private Bootstrap bootstrap(ClientHandler handler) {
        return new Bootstrap()
                .group(transport.group())
                .channel(transport.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        options.timeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                // A publisher bursting thousands of messages must not turn unwritable at Netty's 64 KiB.
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, handler);
                    }
                });
    }
}
