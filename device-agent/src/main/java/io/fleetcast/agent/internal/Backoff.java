package io.fleetcast.agent.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: doubling from the initial delay up to the maximum, with equal jitter (half of each
 * delay fixed, half random).
 *
 * <p>Equal rather than full jitter: when the platform restarts, a fleet still spreads its reconnects
 * over half of every window, yet no device ever retries at once (full jitter allows delays near zero),
 * and "retry at the maximum delay" keeps meaning at least half the maximum.
 *
 * <p>Not thread-safe; used on the agent thread only.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = Math.max(max.toMillis(), initialMillis);
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the next one until the maximum. */
    Duration next() {
        long cap = cap(attempt);
        if (cap < maxMillis) {
            attempt++;
        }
        return jittered(cap);
    }

    /**
     * A delay at the maximum, for failures that retrying soon will not fix. Later calls of {@link #next()}
     * stay at the maximum too, until {@link #reset()}.
     */
    Duration maximum() {
        while (cap(attempt) < maxMillis) {
            attempt++;
        }
        return jittered(maxMillis);
    }

    /** Starts over from the initial delay, after a connection that stayed up. */
    void reset() {
        attempt = 0;
    }

    private long cap(int n) {
        // Past this many doublings the shift would overflow; the maximum is reached long before.
        if (n >= Long.numberOfLeadingZeros(initialMillis) - 1) {
            return maxMillis;
        }
        return Math.min(initialMillis << n, maxMillis);
    }

    private Duration jittered(long cap) {
        long half = cap / 2;
        return Duration.ofMillis(cap - half + random.nextLong(half + 1));
    }
}
