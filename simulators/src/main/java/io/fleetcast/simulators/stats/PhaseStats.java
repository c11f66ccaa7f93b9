package io.fleetcast.simulators.stats;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counts and latencies of one benchmark phase while it runs. Recording is safe from any thread and
 * never blocks, so HiveMQ's callback threads record directly.
 */
public final class PhaseStats {

    private final String name;
    private final String window;
    private final String latencyMeaning;
    private final long expected;

    /** Auto-resizing, three significant digits: exact enough for p99, no upper bound to guess. */
    private final Histogram latencyMicros = new ConcurrentHistogram(3);

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccessNanos = new AtomicLong();
    private volatile long startNanos;

    /**
     * @param window what the wall time spans, for the summary's legend
     * @param latencyMeaning what one latency sample spans, for the summary's legend
     * @param expected operations the phase will attempt, for progress output
     */
    public PhaseStats(String name, String window, String latencyMeaning, long expected) {
        this.name = name;
        this.window = window;
        this.latencyMeaning = latencyMeaning;
        this.expected = expected;
    }

    /** Marks the start of the wall-time window, just before the first operation is sent. */
    public void start(long nanoTime) {
        startNanos = nanoTime;
    }

    public void succeeded(long latencyNanos) {
        latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        lastSuccessNanos.accumulateAndGet(System.nanoTime(), Math::max);
        succeeded.increment();
    }

    /** @param reason a short reason that groups like failures, e.g. {@code connect: CONNACK NOT_AUTHORIZED} */
    public void failed(String reason) {
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        failed.increment();
    }

    public String name() {
        return name;
    }

    public long expected() {
        return expected;
    }

    public long succeededCount() {
        return succeeded.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    public long completedCount() {
        return succeededCount() + failedCount();
    }

    /**
     * The phase's outcome; call once all operations have completed. The wall time ends at the last
     * success, so that one operation failing at its timeout does not stretch the window.
     */
    public PhaseSummary summarize() {
        long succeededCount = succeededCount();
        long wallNanos = succeededCount == 0 ? 0 : lastSuccessNanos.get() - startNanos;
        return new PhaseSummary(
                name,
                window,
                latencyMeaning,
                expected,
                succeededCount,
                failedCount(),
                wallNanos,
                LatencySummary.of(latencyMicros),
                sortedFailures());
    }

    private Map<String, Long> sortedFailures() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        failures.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return Collections.unmodifiableMap(sorted);
    }
}
