package io.fleetcast.simulators.fanout.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs publishing steps against one {@link Publisher} and one {@link Subscribers}: announce the step,
 * publish warm-up then measured messages at a fixed rate, wait for deliveries to drain, collect.
 */
public final class StepRunner {

    /** Deliveries that have not grown for this long count as drained. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * Before a step, a broker that was saturated may take this many drain timeouts to deliver its
     * backlog; the step waits for it rather than measure behind it.
     */
    static final int BACKLOG_DRAINS = 6;

    /** Connects a publisher; called again when a broker has closed the last one. */
    public interface PublisherFactory {
        Publisher connect() throws InterruptedException;
    }

    private final PublisherFactory publishers;
    private final Subscribers subscribers;
    private final Duration drainTimeout;
    private Publisher publisher;
    private int nextStep = 1;

    public StepRunner(PublisherFactory publishers, Subscribers subscribers, Duration drainTimeout) {
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.drainTimeout = drainTimeout;
    }

    /** One publisher for all steps, for tests: it is not replaced if it closes. */
    public StepRunner(Publisher publisher, Subscribers subscribers, Duration drainTimeout) {
        this(() -> publisher, subscribers, drainTimeout);
    }

    /**
     * The open publisher, connecting a new one if the broker closed the last (a broker may drop a
     * publisher it cannot keep up with; the next scenario should still run).
     */
    private Publisher publisher() throws InterruptedException {
        if (publisher == null || !publisher.isOpen()) {
            if (publisher != null) {
                publisher.close();
            }
            publisher = publishers.connect();
        }
        return publisher;
    }

    /** Closes the current publisher, if any. */
    public void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    /**
     * One step at {@code rate} messages a second: {@code warmupMessages} first, then
     * {@code measuredMessages} that are measured.
     *
     * @param receivers subscribers of {@code topic} that read (the expected fan-out)
     */
    public StepResult run(
            String topic, MqttQoS qos, double rate, long warmupMessages, long measuredMessages, int receivers)
            throws InterruptedException {
        subscribers.awaitQuiet(Duration.ofMillis(300), drainTimeout.multipliedBy(BACKLOG_DRAINS));
        int step = nextStep++;
        long nanosPerMessage = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long windowStart = start + warmupMessages * nanosPerMessage;
        long windowEnd = start + (warmupMessages + measuredMessages) * nanosPerMessage;
        subscribers.collect(); // forget anything left over from the step before
        subscribers.announce(new StepPlan(step, warmupMessages, windowStart, windowEnd));
        long total = warmupMessages + measuredMessages;
        Publisher.Sent sent;
        try {
            long budget = windowEnd - System.nanoTime() + drainTimeout.toNanos();
            sent = publisher()
                    .publish(topic, qos, step, total, rate, start, drainTimeout.toNanos())
                    .get(Math.max(budget, 0) + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new FanoutFailure("publishing failed: " + FanoutFailures.describe(e));
        } catch (TimeoutException e) {
            throw new FanoutFailure("publisher did not finish in time");
        }
        awaitDrained(total * receivers, sent.endNanos());
        DeliveryTotals deliveries = subscribers.collect();
        subscribers.announce(StepPlan.NONE);
        double windowSeconds = (windowEnd - windowStart) / 1e9;
        return new StepResult(
                step, topic, qos, rate, receivers, warmupMessages, measuredMessages, sent, deliveries, windowSeconds);
    }

    private void awaitDrained(long expected, long publishedAt) throws InterruptedException {
        long deadline = publishedAt + drainTimeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long delivered = subscribers.deliveredSoFar();
            if (delivered >= expected || now >= deadline) {
                return;
            }
            if (delivered != last) {
                last = delivered;
                lastChange = now;
            } else if (now - lastChange >= QUIET_NANOS && now - publishedAt >= QUIET_NANOS) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
