package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(60_000), new Random(7));

    @Test
    void backoff_grows_exponentially_with_jitter_and_caps() {
        long[] caps = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000};
        Set<Long> atCap = new HashSet<>();
        for (long cap : caps) {
            long delay = backoff.next().toMillis();
            // Equal jitter: never below half of the window, never above it.
            assertThat(delay).isBetween(cap / 2, cap);
            if (cap == 60_000) {
                atCap.add(delay);
            }
        }
        assertThat(atCap).as("jitter spreads delays at the cap").hasSizeGreaterThan(1);
    }

    @Test
    void backoff_starts_over_after_reset() {
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();

        assertThat(backoff.next().toMillis()).isBetween(500L, 1000L);
    }

    @Test
    void maximum_delay_stays_at_the_cap_until_reset() {
        assertThat(backoff.maximum().toMillis()).isBetween(30_000L, 60_000L);
        assertThat(backoff.next().toMillis())
                .as("a refusal is not forgotten by the next failure")
                .isBetween(30_000L, 60_000L);
    }

    @Test
    void spreads_a_fleet_over_the_window() {
        List<Long> firstDelays = new ArrayList<>();
        Random seeds = new Random(1);
        for (int device = 0; device < 1000; device++) {
            Backoff own = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(60_000), new Random(seeds.nextLong()));
            firstDelays.add(own.next().toMillis());
        }
        long early = firstDelays.stream().filter(d -> d < 750).count();
        assertThat(early)
                .as("about half of the devices in the first half of the jitter")
                .isBetween(400L, 600L);
    }

    @Test
    void survives_huge_attempt_counts_without_overflow() {
        Backoff tiny = new Backoff(Duration.ofMillis(1), Duration.ofDays(365), new Random(3));
        for (int i = 0; i < 200; i++) {
            assertThat(tiny.next()).isPositive().isLessThanOrEqualTo(Duration.ofDays(365));
        }
    }
}
