package io.fleetcast.platform.ota.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStateTest {

    @Test
    void follows_the_hawkbit_lifecycle() {
        List<RolloutState> path = List.of(
                RolloutState.CREATING,
                RolloutState.WAITING_FOR_APPROVAL,
                RolloutState.READY,
                RolloutState.STARTING,
                RolloutState.RUNNING,
                RolloutState.PAUSED,
                RolloutState.RUNNING,
                RolloutState.FINISHED);
        for (int i = 1; i < path.size(); i++) {
            assertThat(path.get(i - 1).canMoveTo(path.get(i)))
                    .as("%s -> %s", path.get(i - 1), path.get(i))
                    .isTrue();
        }
    }

    @Test
    void a_cancel_goes_through_stopping() {
        for (RolloutState state : RolloutState.values()) {
            if (!state.isFinal() && state != RolloutState.STOPPING) {
                assertThat(state.canMoveTo(RolloutState.STOPPING))
                        .as(state.name())
                        .isTrue();
            }
        }
        assertThat(RolloutState.STOPPING.canMoveTo(RolloutState.STOPPED)).isTrue();
        assertThat(RolloutState.RUNNING.canMoveTo(RolloutState.STOPPED)).isFalse();
    }

    @Test
    void final_states_go_nowhere() {
        for (RolloutState next : RolloutState.values()) {
            assertThat(RolloutState.FINISHED.canMoveTo(next)).isFalse();
            assertThat(RolloutState.STOPPED.canMoveTo(next)).isFalse();
        }
    }

    @Test
    void cannot_start_without_approval_or_pause_before_running() {
        assertThat(RolloutState.WAITING_FOR_APPROVAL.canMoveTo(RolloutState.STARTING))
                .isFalse();
        assertThat(RolloutState.READY.canMoveTo(RolloutState.PAUSED)).isFalse();
    }
}
