package io.fleetcast.routing.jmh;

import io.fleetcast.routing.InterestListener;
import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.broker.Broker;
import io.fleetcast.routing.broker.BrokerConfig;
import io.fleetcast.routing.broker.BrokerEvents;
import io.fleetcast.routing.broker.Link;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One message published to 1,000,000 in-memory subscribers of one topic, through the whole broker
 * path on one event loop (one core): match, grouping by loop, encoding once, a packet per subscriber
 * (a duplicate of the shared frame for QoS 0; its own header in front of the shared payload for QoS
 * 1, packet id and inflight entry included), and the loop's flush of every subscriber. The
 * subscribers' links count and release what they get instead of writing to sockets, so this is the
 * broker's own cost. QoS 1 deliveries are acknowledged between operations (JMH invocation setup, not
 * measured), so every operation starts with empty inflight windows, as with subscribers that keep up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FanoutBenchmark {

    private static final int SUBSCRIBERS = 1_000_000;
    private static final String TOPIC = "b/t1/c/news";

    @Param({"0", "1"})
    public int qos;

    private DefaultEventLoop loop;
    private Broker broker;
    private Message message;
    private SinkLink[] links;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        loop = new DefaultEventLoop();
        broker = new Broker(
                BrokerConfig.DEFAULT,
                request -> CompletableFuture.failedFuture(new IllegalStateException("no network here")),
                BrokerEvents.NONE,
                InterestListener.NONE,
                Clock.systemUTC(),
                PooledByteBufAllocator.DEFAULT);
        links = new SinkLink[SUBSCRIBERS];
        loop.submit(this::subscribeAll).sync();
        message = Message.of(TOPIC, qos, false, new byte[100]);
    }

    private void subscribeAll() {
        for (int i = 0; i < SUBSCRIBERS; i++) {
            // One in five subscribers speaks MQTT 5, so both wire variants are encoded.
            links[i] = new SinkLink(i % 5 == 0, loop);
            links[i].session = broker.attach("tv-" + i, links[i]);
            broker.subscribe(links[i].session, TOPIC, SubscriptionOptions.of(qos));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.shutdownGracefully();
    }

    /** Acknowledges last round's QoS 1 deliveries so every round starts with empty inflight windows. */
    @Setup(Level.Invocation)
    public void acknowledge() throws InterruptedException {
        if (qos == 1) {
            loop.submit(() -> {
                        for (SinkLink link : links) {
                            link.acknowledgeAll();
                        }
                    })
                    .sync();
        }
    }

    /** Publishes on the loop, then waits for the loop's flush task that follows the fan-out. */
    @Benchmark
    public long publishToMillion() throws InterruptedException {
        loop.submit(() -> broker.routeLocal(message)).sync();
        loop.submit(() -> {}).sync();
        return SinkLink.bytes;
    }

    /** An in-memory subscriber: counts the bytes of each packet and releases it. */
    private static final class SinkLink implements Link {
        static long bytes;
        private final boolean v5;
        private final EventExecutor loop;
        Session session;
        private int unacknowledged;
        private boolean flushPending;

        SinkLink(boolean v5, EventExecutor loop) {
            this.v5 = v5;
            this.loop = loop;
        }

        void acknowledgeAll() {
            if (unacknowledged != 0) {
                session.acknowledge(unacknowledged);
                unacknowledged = 0;
            }
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public ByteBufAllocator alloc() {
            return PooledByteBufAllocator.DEFAULT;
        }

        @Override
        public boolean isV5() {
            return v5;
        }

        @Override
        public int maxPacketSize() {
            return Integer.MAX_VALUE;
        }

        @Override
        public int receiveMaximum() {
            return 65_535;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void write(ByteBuf packet) {
            bytes += packet.readableBytes();
            if ((packet.getByte(0) & 0x06) != 0) {
                unacknowledged = packetId(packet);
            }
            packet.release();
        }

        /** The packet id of a QoS 1 PUBLISH: after the fixed header and the topic. */
        private static int packetId(ByteBuf packet) {
            int index = 1;
            while ((packet.getByte(index) & 0x80) != 0) {
                index++;
            }
            index++;
            int topicLength = packet.getUnsignedShort(index);
            return packet.getUnsignedShort(index + 2 + topicLength);
        }

        @Override
        public void writeControl(Object mqttMessage) {
            ReferenceCountUtil.release(mqttMessage);
        }

        @Override
        public void flush() {
            flushPending = false;
        }

        @Override
        public boolean markForFlush() {
            if (flushPending) {
                return false;
            }
            flushPending = true;
            return true;
        }

        @Override
        public void droppedForSlowness() {}
    }
}
