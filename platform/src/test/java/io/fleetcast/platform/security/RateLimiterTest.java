package io.fleetcast.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void allows_a_burst_then_refuses_until_tokens_come_back() {
        RateLimiter limiter = new RateLimiter(2, 3, 100, now::get);

        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.allows("a")).isFalse();

        now.addAndGet(500_000_000L); // half a second earns one token at 2 per second
        assertThat(limiter.allows("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
    }

    @Test
    void keeps_keys_apart() {
        RateLimiter limiter = new RateLimiter(1, 1, 100, now::get);

        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.tryAcquire("b")).isTrue();
    }

    @Test
    void never_tracks_more_keys_than_its_bound() {
        RateLimiter limiter = new RateLimiter(1, 1, 10, now::get);

        for (int i = 0; i < 1_000; i++) {
            limiter.tryAcquire("address-" + i);
        }

        assertThat(limiter.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void drops_idle_buckets_first_when_full() {
        RateLimiter limiter = new RateLimiter(1, 1, 2, now::get);
        limiter.tryAcquire("idle");
        now.addAndGet(5_000_000_000L);
        limiter.tryAcquire("busy");

        limiter.tryAcquire("new");

        assertThat(limiter.allows("busy")).isFalse(); // kept: still drained
        assertThat(limiter.size()).isEqualTo(2);
    }
}
