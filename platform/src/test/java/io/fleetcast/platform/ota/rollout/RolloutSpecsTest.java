package io.fleetcast.platform.ota.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.ota.rollout.RolloutSpec.Exponential;
import io.fleetcast.platform.ota.rollout.RolloutSpec.GroupSpec;
import io.fleetcast.platform.ota.rollout.RolloutSpec.RateSpec;
import io.fleetcast.platform.ota.rollout.RolloutSpec.Target;
import io.fleetcast.platform.ota.rollout.RolloutSpec.WindowSpec;
import io.fleetcast.protocol.OtaMode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RolloutSpecsTest {

    private static final Target ALL = new Target(DeviceFilter.ALL, null);

    @Test
    void fills_in_the_defaults() {
        RolloutSpec spec = RolloutSpecs.validated(spec(ALL, null, null, null, null));

        assertThat(spec.groups()).containsExactly(new GroupSpec(100, null));
        assertThat(spec.successThreshold()).isEqualTo(100);
        assertThat(spec.mode()).isEqualTo(OtaMode.SOFT);
        assertThat(spec.approvalRequired()).isFalse();
    }

    @Test
    void refuses_each_mistake_with_its_own_code() {
        assertCode(spec(new Target(DeviceFilter.ALL, UUID.randomUUID()), null, null, null, null), "INVALID_TARGET");
        assertCode(
                spec(
                        ALL,
                        List.of(new GroupSpec(60, null), new GroupSpec(60, null), new GroupSpec(10, null)),
                        null,
                        null,
                        null),
                "INVALID_GROUPS");
        assertCode(spec(ALL, null, 101, null, null), "INVALID_THRESHOLD");
        assertCode(spec(ALL, null, 0, null, null), "INVALID_THRESHOLD");
        assertCode(spec(ALL, null, null, new RateSpec(100, new Exponential(50, 9.0, 10, null)), null), "INVALID_RATE");
        assertCode(spec(ALL, null, null, null, new WindowSpec("0 25 * * *", 60, "UTC")), "INVALID_CRON");
        assertCode(spec(ALL, null, null, null, new WindowSpec("0 2 * * *", 60, "Mars/Olympus")), "INVALID_TIME_ZONE");
        assertCode(spec(ALL, null, null, null, new WindowSpec("0 2 * * *", 0, "UTC")), "INVALID_WINDOW");
    }

    private static void assertCode(RolloutSpec spec, String code) {
        assertThatThrownBy(() -> RolloutSpecs.validated(spec))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code())
                .isEqualTo(code);
    }

    private static RolloutSpec spec(
            Target target, List<GroupSpec> groups, Integer success, RateSpec rate, WindowSpec window) {
        return new RolloutSpec(
                "r", "2.0", target, null, groups, success, null, null, null, null, null, rate, null, null, window, null,
                null);
    }
}
