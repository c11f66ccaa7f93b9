package io.fleetcast.simulators.fanout.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One publishing connection that sends at a fixed, open-loop rate: message {@code i} is due at
 * {@code start + i / rate} whatever happened to earlier ones, and carries that due time. At QoS 1 at
 * most {@code window} messages are unacknowledged; later ones wait in a backlog (their latency keeps
 * counting from the due time), and past {@code maxBacklog} they are skipped and counted.
 */
public final class Publisher implements AutoCloseable {

    private final Handler handler;

    private Publisher(Handler handler) {
        this.handler = handler;
    }

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    public static Publisher connect(Transport transport, ClientOptions options, int window, int maxBacklog)
            throws InterruptedException {
        // A fresh client id each time: a replacement must not take over a session still closing.
        String clientId = options.clientIdPrefix() + "-p" + CONNECTIONS.incrementAndGet();
        ConnectionOpener opener = new ConnectionOpener(transport, options, 1, 1);
        ConnectionOpener.Opened<Handler> opened =
                opener.open(1, index -> new Handler(options, clientId, window, maxBacklog));
        if (opened.handlers().isEmpty()) {
            throw new FanoutFailure("publisher could not connect: " + opened.failures());
        }
        return new Publisher(opened.handlers().get(0));
    }

    /** What one {@link #publish} did. */
    public record Sent(long sent, long skipped, long unacknowledged, long startNanos, long endNanos) {}

    /**
     * Publishes {@code messages} messages of step {@code step} to {@code topic} at {@code rate} a
     * second, starting at {@code startNanos}; completes when the last has been written (QoS 0) or
     * acknowledged or given up on {@code ackGraceNanos} after its due time (QoS 1).
     */
    public CompletableFuture<Sent> publish(
            String topic, MqttQoS qos, int step, long messages, double rate, long startNanos, long ackGraceNanos) {
        Run run = new Run(topic, qos, step, messages, rate, startNanos, ackGraceNanos);
        handler.ctx.executor().execute(() -> handler.begin(run));
        return run.done;
    }

    public boolean isOpen() {
        return handler.isOpen();
    }

    @Override
    public void close() {
        handler.ctx.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final class Run {
        final String topic;
        final MqttQoS qos;
        final int step;
        final long messages;
        final double nanosPerMessage;
        final long startNanos;
        final long ackGraceNanos;
        final CompletableFuture<Sent> done = new CompletableFuture<>();
        final ArrayDeque<Long> backlog = new ArrayDeque<>();
        final boolean[] inflight = new boolean[0x10000];
        int inflightCount;
        long next;
        long sent;
        long skipped;

        Run(String topic, MqttQoS qos, int step, long messages, double rate, long startNanos, long ackGraceNanos) {
            this.topic = topic;
            this.qos = qos;
            this.step = step;
            this.messages = messages;
            this.nanosPerMessage = TimeUnit.SECONDS.toNanos(1) / rate;
            this.startNanos = startNanos;
            this.ackGraceNanos = ackGraceNanos;
        }

        long due(long index) {
            return startNanos + (long) (index * nanosPerMessage);
        }
    }

    private static final class Handler extends ClientHandler {

        private final int window;
        private final int maxBacklog;
        private Run run;

        Handler(ClientOptions options, String clientId, int window, int maxBacklog) {
            super(options, clientId);
            this.window = window;
            this.maxBacklog = maxBacklog;
        }

        void begin(Run next) {
            if (run != null && !run.done.isDone()) {
                next.done.completeExceptionally(new IllegalStateException("a publish run is in progress"));
                return;
            }
            run = next;
            tick();
        }

        private void tick() {
            Run r = run;
            if (r.done.isDone()) {
                return;
            }
            if (!isOpen()) {
                r.done.completeExceptionally(new FanoutFailure("publisher connection closed"));
                return;
            }
            long now = System.nanoTime();
            boolean wrote = false;
            // Never before its due time: an early message would show a latency below the real one.
            while (r.next < r.messages && r.due(r.next) <= now) {
                long index = r.next++;
                wrote |= offer(r, index);
            }
            if (wrote) {
                ctx.flush();
            }
            if (r.next < r.messages) {
                long wait = Math.max(0, r.due(r.next) - System.nanoTime());
                ctx.executor().schedule(this::tick, wait, TimeUnit.NANOSECONDS);
            } else if (r.qos == MqttQoS.AT_MOST_ONCE || (r.inflightCount == 0 && r.backlog.isEmpty())) {
                finish(r);
            } else {
                // Wait for the last acknowledgements, then give up on them.
                long wait = Math.max(0, r.due(r.messages - 1) + r.ackGraceNanos - System.nanoTime());
                ctx.executor().schedule(() -> finish(r), wait, TimeUnit.NANOSECONDS);
            }
        }

        private boolean offer(Run r, long index) {
            if (r.qos == MqttQoS.AT_MOST_ONCE) {
                if (!ctx.channel().isWritable()) {
                    r.skipped++;
                    return false;
                }
                write(r, index, 0);
                return true;
            }
            if (r.inflightCount < window && r.backlog.isEmpty()) {
                writeQos1(r, index);
                return true;
            }
            if (r.backlog.size() >= maxBacklog) {
                r.skipped++;
                return false;
            }
            r.backlog.add(index);
            return false;
        }

        private void writeQos1(Run r, long index) {
            int id = nextPacketId();
            // Packet ids cycle through 65,535; the window is far smaller, so one still in flight
            // means its PUBACK is lost, and it is simply forgotten.
            if (!r.inflight[id]) {
                r.inflightCount++;
            }
            r.inflight[id] = true;
            write(r, index, id);
        }

        private void write(Run r, long index, int packetId) {
            ByteBuf payload = FanoutPayload.encode(ctx.alloc(), index, r.due(index), r.step);
            ctx.write(MqttPackets.publish(r.topic, r.qos, packetId, payload));
            r.sent++;
        }

        @Override
        void onPubAck(int packetId) {
            Run r = run;
            if (r == null || !r.inflight[packetId]) {
                return;
            }
            r.inflight[packetId] = false;
            r.inflightCount--;
            boolean wrote = false;
            while (!r.backlog.isEmpty() && r.inflightCount < window) {
                writeQos1(r, r.backlog.poll());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
            if (r.next >= r.messages && r.inflightCount == 0 && r.backlog.isEmpty()) {
                finish(r);
            }
        }

        private void finish(Run r) {
            if (r.done.isDone()) {
                return;
            }
            long unacknowledged = r.inflightCount + r.backlog.size();
            r.done.complete(new Sent(r.sent, r.skipped, unacknowledged, r.startNanos, System.nanoTime()));
        }

        @Override
        void onPublish(ChannelHandlerContext ctx, MqttPublishMessage msg) {
            // The publisher subscribes to nothing.
        }

        @Override
        void onClosed() {
            Run r = run;
            if (r != null) {
                r.done.completeExceptionally(new FanoutFailure("publisher connection closed"));
            }
        }
    }
}
