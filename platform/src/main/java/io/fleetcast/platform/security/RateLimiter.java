package io.fleetcast.platform.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a source address, a claim id). Each key may take {@code burst} tokens at once
 * and earns {@code perSecond} back. Memory is bounded: past {@code maxKeys} keys, buckets that have
 * filled up again are dropped, and if that is not enough the limiter starts over (failing open for a
 * moment rather than growing without bound under a spray of addresses).
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public RateLimiter(double perSecond, double burst, int maxKeys) {
        this(perSecond, burst, maxKeys, System::nanoTime);
    }

    RateLimiter(double perSecond, double burst, int maxKeys, LongSupplier nanoClock) {
        if (perSecond <= 0 || burst < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("rate, burst and key bound must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
    }

    /** Takes a token if the key has one; false when the key is over its rate. */
    public boolean tryAcquire(String key) {
        return bucket(key).take(nanoClock.getAsLong());
    }

    /** Whether the key has a token left, without taking it. */
    public boolean allows(String key) {
        Bucket bucket = buckets.get(key);
        return bucket == null || bucket.available(nanoClock.getAsLong()) >= 1;
    }

    int size() {
        return buckets.size();
    }

    private Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            long now = nanoClock.getAsLong();
            buckets.values().removeIf(idle -> idle.available(now) >= burst);
            if (buckets.size() >= maxKeys) {
                buckets.clear();
            }
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, nanoClock.getAsLong()));
    }

    private final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        synchronized double available(long now) {
            return Math.min(burst, tokens + (now - updatedNanos) / 1e9 * perSecond);
        }

        synchronized boolean take(long now) {
            tokens = available(now);
            updatedNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
