package io.fleetcast.routing.jmh;

import io.fleetcast.routing.SubscriptionIndex;
import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.TopicLimits;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Matching one published topic against 1,000,000 subscriptions: 900,000 devices on their own command
 * topic {@code d/<id>/c} (the exact-filter hash path) and 100,000 on model broadcasts
 * {@code b/<tenant>/m/+} of 10,000 tenants (the trie, ten subscribers per filter).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MatchBenchmark {

    private static final int DEVICES = 900_000;
    private static final int WILDCARD_SUBSCRIPTIONS = 100_000;
    private static final int TENANTS = 10_000;
    /** Distinct topics published in turn; fewer than the cache holds, so the cached runs always hit. */
    private static final int TOPICS = 1_024;

    /** 10,000 is the default cache; 0 turns the cache off. */
    @Param({"10000", "0"})
    public int cacheSize;

    private SubscriptionIndex<Integer> index;
    private String[] deviceTopics;
    private String[] modelTopics;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        // Filter strings and handles exist before the index does (they arrive in SUBSCRIBE and belong
        // to the session), so they are built first and left out of the memory figure.
        String[] filters = new String[DEVICES + WILDCARD_SUBSCRIPTIONS];
        Integer[] handles = new Integer[filters.length];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = i < DEVICES ? "d/" + i + "/c" : "b/t" + (i % TENANTS) + "/m/+";
            handles[i] = i;
        }
        long before = Heap.usedAfterGc();
        index = new SubscriptionIndex<>(TopicLimits.DEFAULT, cacheSize);
        for (int i = 0; i < filters.length; i++) {
            index.subscribe(
                    filters[i], handles[i], i < DEVICES ? SubscriptionOptions.QOS_1 : SubscriptionOptions.QOS_0);
        }
        Heap.report("90% exact, 10% wildcard", before, Heap.usedAfterGc(), filters.length);
        deviceTopics = new String[TOPICS];
        modelTopics = new String[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            deviceTopics[i] = "d/" + (i * 877L % DEVICES) + "/c";
            modelTopics[i] = "b/t" + (i * 7L % TENANTS) + "/m/qled55";
        }
    }

    /** One device command: one exact match, nothing in the trie. */
    @Benchmark
    public void deviceCommand(Blackhole blackhole) {
        String topic = deviceTopics[next++ & (TOPICS - 1)];
        index.forEachMatch(topic, (subscriber, options) -> blackhole.consume(subscriber));
    }

    /** One model broadcast: ten subscribers through {@code b/<tenant>/m/+}. */
    @Benchmark
    public void modelBroadcast(Blackhole blackhole) {
        String topic = modelTopics[next++ & (TOPICS - 1)];
        index.forEachMatch(topic, (subscriber, options) -> blackhole.consume(subscriber));
    }
}
