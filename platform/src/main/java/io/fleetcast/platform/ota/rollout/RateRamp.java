package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.ota.rollout.RolloutSpec.Exponential;
import io.fleetcast.platform.ota.rollout.RolloutSpec.RateSpec;

/**
 * The notification rate of a rollout right now (after AWS IoT Jobs' exponential rollout): the base
 * rate, multiplied by the factor once for every full criterion count of notified (or succeeded)
 * devices, never above the maximum. Pure, so tests drive it with counts instead of time.
 */
public final class RateRamp {

    private RateRamp() {}

    /**
     * Notifications per minute, or {@code Double.POSITIVE_INFINITY} when the rollout has no limit.
     */
    public static double perMinute(RateSpec rate, long notified, long succeeded) {
        if (rate == null) {
            return Double.POSITIVE_INFINITY;
        }
        double max = rate.maxPerMinute() == null ? Double.POSITIVE_INFINITY : rate.maxPerMinute();
        Exponential ramp = rate.exponential();
        if (ramp == null) {
            return max;
        }
        long steps = ramp.notifiedCriterion() != null
                ? notified / ramp.notifiedCriterion()
                : succeeded / ramp.succeededCriterion();
        double perMinute = ramp.baseRatePerMinute() * Math.pow(ramp.incrementFactor(), Math.min(steps, 1000));
        return Math.min(perMinute, Math.min(max, RolloutSpecs.MAX_RATE_PER_MINUTE));
    }

    /**
     * A token bucket refilled at the rate: how many tokens there are at {@code elapsedSeconds} after
     * the last refill. The bucket holds ten seconds' worth (at least one), so a rollout that waited
     * does not send a burst of a whole minute.
     */
    public static double refill(double tokens, double perMinute, double elapsedSeconds) {
        double capacity = capacity(perMinute);
        return Math.min(capacity, tokens + perMinute * Math.max(0, elapsedSeconds) / 60.0);
    }

    /** Ten seconds' worth of the rate, at least one token. */
    public static double capacity(double perMinute) {
        return Math.max(1.0, perMinute / 6.0);
    }
}
