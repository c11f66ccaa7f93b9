package io.fleetcast.simulators.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedRunnerTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void never_has_more_operations_in_flight_than_the_bound() throws InterruptedException {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();

        new BoundedRunner(4).run(200, i -> {
            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.runAsync(
                    () -> {
                        sleepMicros(ThreadLocalRandom.current().nextInt(500));
                        inFlight.decrementAndGet();
                    },
                    executor);
        });

        assertThat(maxSeen.get()).isBetween(1, 4);
    }

    @Test
    void returns_only_after_every_operation_completed() throws InterruptedException {
        AtomicInteger completed = new AtomicInteger();

        new BoundedRunner(16)
                .run(
                        100,
                        i -> CompletableFuture.runAsync(
                                () -> {
                                    sleepMicros(1_000);
                                    completed.incrementAndGet();
                                },
                                executor));

        assertThat(completed.get()).isEqualTo(100);
    }

    @Test
    void failed_operations_free_their_slot() throws InterruptedException {
        AtomicInteger started = new AtomicInteger();

        new BoundedRunner(1).run(10, i -> {
            started.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("refused"));
        });

        assertThat(started.get()).isEqualTo(10);
    }

    @Test
    void rejects_a_bound_below_one() {
        assertThatThrownBy(() -> new BoundedRunner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleepMicros(long micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
