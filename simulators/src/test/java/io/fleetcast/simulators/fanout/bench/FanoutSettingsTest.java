package io.fleetcast.simulators.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FanoutSettingsTest {

    @Test
    void runs_every_scenario_when_none_was_chosen() {
        FanoutSettings all = FanoutSettings.full();

        assertThat(all.runs("S5")).isTrue();
        assertThat(all.runs("S1-S2-S4-qos1")).isTrue();
    }

    @Test
    void a_chosen_scenario_runs_at_both_qos_and_in_its_group() {
        FanoutSettings s2 = only("S2");

        assertThat(s2.runs("S2-qos0")).isTrue();
        assertThat(s2.runs("S2-qos1")).isTrue();
        assertThat(s2.runs("S1-S2-S4-qos1")).isTrue();
        assertThat(s2.runs("S1-qos1")).isFalse();
        assertThat(s2.runs("S5")).isFalse();
        assertThat(only("S5").runs("S1-S2-S4-qos1")).isFalse();
    }

    private static FanoutSettings only(String scenario) {
        FanoutSettings s = FanoutSettings.full();
        return new FanoutSettings(
                s.subscribers(),
                s.midSubscribers(),
                s.smallSubscribers(),
                s.unrelatedSubscriptions(),
                s.startDeliveries(),
                s.stepFactor(),
                s.maxSteps(),
                s.warmup(),
                s.measure(),
                s.minMessages(),
                s.drainTimeout(),
                s.bursts(),
                s.stalledFraction(),
                s.stall(),
                s.stallRate(),
                s.connectsPerSecond(),
                s.connectsInFlight(),
                s.qos1Window(),
                s.eventLoops(),
                s.mqttVersion(),
                Set.of(scenario));
    }
}
