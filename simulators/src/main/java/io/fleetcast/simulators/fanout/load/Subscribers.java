package io.fleetcast.simulators.fanout.load;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * Many subscriber connections held open on a few event loops. Each loop has one
 * {@link SubscriberStats}; steps are announced through one shared {@link StepPlan}.
 */
public final class Subscribers implements AutoCloseable {

    /** SUBSCRIBE and UNSUBSCRIBE requests in flight at once over all connections. */
    static final int REQUESTS_IN_FLIGHT = 512;

    private final Transport transport;
    private final Map<EventExecutor, SubscriberStats> statsByLoop = new ConcurrentHashMap<>();
    private volatile StepPlan plan = StepPlan.NONE;
    private final List<SubscriberHandler> handlers;
    private final Map<String, Integer> connectFailures;
    private final double connectSeconds;
    private final ScheduledFuture<?> pings;

    private Subscribers(Transport transport, ClientOptions options, int count, int inFlight, int perSecond)
            throws InterruptedException {
        this.transport = transport;
        ConnectionOpener opener = new ConnectionOpener(transport, options, inFlight, perSecond);
        long start = System.nanoTime();
        ConnectionOpener.Opened<SubscriberHandler> opened = opener.open(
                count, index -> new SubscriberHandler(options, options.clientIdPrefix() + "-s" + index, () -> plan));
        this.connectSeconds = (System.nanoTime() - start) / 1e9;
        this.handlers = opened.handlers();
        this.connectFailures = opened.failures();
        for (SubscriberHandler handler : handlers) {
            EventExecutor loop = handler.ctx.executor();
            SubscriberStats stats = statsByLoop.computeIfAbsent(loop, l -> new SubscriberStats());
            loop.submit(() -> handler.bind(stats)).syncUninterruptibly();
        }
        // Keep-alive: one task pings every connection; far cheaper than a timer per channel.
        long every = Math.max(1, options.keepAliveSeconds() / 3);
        this.pings = transport.group().scheduleAtFixedRate(this::ping, every, every, TimeUnit.SECONDS);
    }

    /**
     * Connects {@code count} subscribers.
     *
     * @param inFlight handshakes at once
     * @param perSecond new connections a second at most
     */
    public static Subscribers connect(
            Transport transport, ClientOptions options, int count, int inFlight, int perSecond)
            throws InterruptedException {
        return new Subscribers(transport, options, count, inFlight, perSecond);
    }

    private void ping() {
        for (SubscriberHandler handler : handlers) {
            if (handler.isOpen()) {
                handler.ctx.channel().writeAndFlush(MqttPackets.PINGREQ);
            }
        }
    }

    public int connected() {
        return handlers.size();
    }

    public Map<String, Integer> connectFailures() {
        return connectFailures;
    }

    public double connectSeconds() {
        return connectSeconds;
    }

    /** Whether subscriber {@code index} is still connected. */
    public boolean isOpen(int index) {
        return handlers.get(index).isOpen();
    }

    public int open() {
        return (int) handlers.stream().filter(ClientHandler::isOpen).count();
    }

    /**
     * Sends one SUBSCRIBE per connection, with the filters {@code filtersOf} gives for its index (an
     * empty list sends nothing). Returns how many connections failed to subscribe.
     */
    public int subscribe(IntFunction<List<String>> filtersOf, MqttQoS qos) throws InterruptedException {
        return request(filtersOf, (handler, filters) -> handler.subscribe(filters, qos));
    }

    public int unsubscribe(IntFunction<List<String>> filtersOf) throws InterruptedException {
        return request(filtersOf, ClientHandler::unsubscribe);
    }

    private int request(
            IntFunction<List<String>> filtersOf,
            BiFunction<SubscriberHandler, List<String>, CompletableFuture<Void>> send)
            throws InterruptedException {
        Semaphore permits = new Semaphore(REQUESTS_IN_FLIGHT);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < handlers.size(); i++) {
            List<String> filters = filtersOf.apply(i);
            if (filters.isEmpty()) {
                continue;
            }
            permits.acquire();
            CompletableFuture<Void> ack = send.apply(handlers.get(i), filters);
            ack.whenComplete((v, e) -> permits.release());
            acks.add(ack);
        }
        int failed = 0;
        for (CompletableFuture<Void> ack : acks) {
            try {
                ack.join();
            } catch (RuntimeException e) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * Makes the first {@code count} subscribers at or above {@code fromIndex} stop reading their
     * sockets, as a viewer on a stuck device would: the broker's writes to them back up.
     * Their deliveries no longer count as measured. Returns how many were stalled.
     */
    public int stopReading(int fromIndex, int count) {
        int stalled = 0;
        for (int i = fromIndex; i < handlers.size() && stalled < count; i++) {
            SubscriberHandler handler = handlers.get(i);
            handler.stalled = true;
            handler.ctx.channel().config().setAutoRead(false);
            stalled++;
        }
        return stalled;
    }

    /** Announces a new step; deliveries of any other step count as stale from now on. */
    public void announce(StepPlan next) {
        this.plan = next;
    }

    /** Collects and resets every loop's counters, each on its own loop. */
    public DeliveryTotals collect() {
        DeliveryTotals totals = new DeliveryTotals();
        List<Future<?>> drains = new ArrayList<>();
        statsByLoop.forEach((loop, stats) -> drains.add(loop.submit(() -> stats.drainInto(totals))));
        drains.forEach(Future::syncUninterruptibly);
        return totals;
    }

    /** Deliveries counted so far in this step, without resetting them. */
    public long deliveredSoFar() {
        return sum(stats -> stats.measured + stats.warmup + stats.duplicates);
    }

    /** Every PUBLISH received since the subscribers connected, of any step or none. */
    public long arrivalsSoFar() {
        return sum(stats -> stats.arrivals);
    }

    /**
     * Waits until no PUBLISH has arrived for {@code quiet}, at most {@code max}: a saturated broker
     * may still be delivering a backlog, which must not spill into the next measurement.
     */
    public void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long last = arrivalsSoFar();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lastChange < quiet.toNanos()) {
            Thread.sleep(20);
            long now = arrivalsSoFar();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
    }

    private long sum(ToLongFunction<SubscriberStats> field) {
        long[] sum = new long[1];
        List<Future<?>> reads = new ArrayList<>();
        statsByLoop.forEach((loop, stats) -> reads.add(loop.submit(() -> {
            synchronized (sum) {
                sum[0] += field.applyAsLong(stats);
            }
        })));
        reads.forEach(Future::syncUninterruptibly);
        synchronized (sum) {
            return sum[0];
        }
    }

    @Override
    public void close() {
        pings.cancel(false);
        List<ChannelFuture> closes = new ArrayList<>();
        for (SubscriberHandler handler : handlers) {
            closes.add(handler.ctx.channel().close());
        }
        closes.forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
    }

    Transport transport() {
        return transport;
    }
}
