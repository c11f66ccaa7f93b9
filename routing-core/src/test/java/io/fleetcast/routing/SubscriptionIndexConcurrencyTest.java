package io.fleetcast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SubscriptionIndexConcurrencyTest {

    /**
     * Readers match while one writer keeps adding and removing a wildcard filter (which clears the
     * cache each time). A reader must see either the state before or after a change, never a torn one.
     */
    @Test
    void readers_see_whole_states_while_a_writer_changes_the_index() throws Exception {
        SubscriptionIndex<String> index = new SubscriptionIndex<>();
        index.subscribe("x/y", "permanent", SubscriptionOptions.QOS_0);
        for (int i = 0; i < 100; i++) {
            index.subscribe("x/+", "wild-" + i, SubscriptionOptions.QOS_0);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> readers =
                    List.of(pool.submit(() -> read(index, writing)), pool.submit(() -> read(index, writing)));
            for (int round = 0; round < 2_000; round++) {
                for (int i = 0; i < 100; i++) {
                    index.unsubscribe("x/+", "wild-" + i);
                }
                for (int i = 0; i < 100; i++) {
                    index.subscribe("x/+", "wild-" + i, SubscriptionOptions.QOS_0);
                }
            }
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int read(SubscriptionIndex<String> index, AtomicBoolean writing) {
        int reads = 0;
        while (writing.get() || reads == 0) {
            List<Subscription<String>> matches = index.match("x/y");
            // Whole states only: the permanent subscriber plus 0..100 wildcard ones, each at most once.
            assertThat(matches)
                    .extracting(Subscription::subscriber)
                    .contains("permanent")
                    .doesNotHaveDuplicates();
            assertThat(matches).hasSizeBetween(1, 101);
            reads++;
        }
        return reads;
    }
}
