package io.fleetcast.platform.ota.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetcast.platform.ota.rollout.RolloutSpec.Exponential;
import io.fleetcast.platform.ota.rollout.RolloutSpec.RateSpec;
import org.junit.jupiter.api.Test;

class RateRampTest {

    @Test
    void no_rate_means_no_limit() {
        assertThat(RateRamp.perMinute(null, 0, 0)).isInfinite();
    }

    @Test
    void a_fixed_rate_stays() {
        assertThat(RateRamp.perMinute(new RateSpec(600, null), 1_000_000, 0)).isEqualTo(600);
    }

    @Test
    void the_rate_grows_by_the_factor_per_criterion_count_of_notified_devices() {
        // The AWS IoT Jobs example: base 50/min, factor 2, raised after every 1,000 notified devices.
        RateSpec rate = new RateSpec(1000, new Exponential(50, 2.0, 1000, null));
        assertThat(RateRamp.perMinute(rate, 0, 0)).isEqualTo(50);
        assertThat(RateRamp.perMinute(rate, 999, 0)).isEqualTo(50);
        assertThat(RateRamp.perMinute(rate, 1000, 0)).isEqualTo(100);
        assertThat(RateRamp.perMinute(rate, 3500, 0)).isEqualTo(400);
        assertThat(RateRamp.perMinute(rate, 5000, 0))
                .as("capped at the maximum")
                .isEqualTo(1000);
    }

    @Test
    void the_rate_may_grow_with_succeeded_devices_instead() {
        RateSpec rate = new RateSpec(null, new Exponential(10, 1.5, null, 100));
        assertThat(RateRamp.perMinute(rate, 10_000, 99)).isEqualTo(10);
        assertThat(RateRamp.perMinute(rate, 10_000, 200)).isCloseTo(22.5, within(1e-9));
    }

    @Test
    void the_bucket_refills_with_time_up_to_ten_seconds_worth() {
        assertThat(RateRamp.refill(0, 60, 1)).isCloseTo(1, within(1e-9));
        assertThat(RateRamp.refill(0, 600, 30)).isEqualTo(100);
        assertThat(RateRamp.refill(0, 6, 3600)).as("at least one token").isEqualTo(1);
        assertThat(RateRamp.refill(5, 600, -1))
                .as("a clock going back adds nothing")
                .isEqualTo(5);
    }
}
