package io.fleetcast.routing.jmh;

import io.fleetcast.routing.Subscription;
import io.fleetcast.routing.SubscriptionIndex;
import io.fleetcast.routing.SubscriptionOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Resolving one tenant broadcast {@code b/t1/t} to its 1,000,000 subscribers, all on that one filter.
 * Setup prints the heap the index retains, as a rough per-subscription memory figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BroadcastBenchmark {

    private static final int SUBSCRIBERS = 1_000_000;
    private static final String TOPIC = "b/t1/t";

    private SubscriptionIndex<Integer> index;

    @Setup(Level.Trial)
    public void setUp() {
        Integer[] handles = new Integer[SUBSCRIBERS];
        for (int i = 0; i < SUBSCRIBERS; i++) {
            handles[i] = i;
        }
        long before = Heap.usedAfterGc();
        index = new SubscriptionIndex<>();
        for (Integer handle : handles) {
            index.subscribe(TOPIC, handle, SubscriptionOptions.QOS_0);
        }
        Heap.report("one broadcast filter", before, Heap.usedAfterGc(), SUBSCRIBERS);
    }

    /** The fan-out path: one visit per subscriber, no allocation. */
    @Benchmark
    public void forEachMatch(Blackhole blackhole) {
        index.forEachMatch(TOPIC, (subscriber, options) -> blackhole.consume(subscriber));
    }

    /** The convenient path: a list with one record per subscriber. */
    @Benchmark
    public List<Subscription<Integer>> matchAsList() {
        return index.match(TOPIC);
    }
}
