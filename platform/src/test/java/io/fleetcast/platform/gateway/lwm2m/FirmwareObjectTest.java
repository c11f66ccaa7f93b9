package io.fleetcast.platform.gateway.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.OtaState;
import org.junit.jupiter.api.Test;

/** The documented mapping of /5 State and Update Result onto OTA states and error codes. */
class FirmwareObjectTest {

    @Test
    void states_map_onto_progress_and_idle_says_nothing() {
        assertThat(FirmwareObject.ofState(0)).isNull();
        assertThat(FirmwareObject.ofState(1)).isEqualTo(OtaState.DOWNLOADING);
        assertThat(FirmwareObject.ofState(2)).isEqualTo(OtaState.DOWNLOADED);
        assertThat(FirmwareObject.ofState(3)).isEqualTo(OtaState.INSTALLING);
        assertThat(FirmwareObject.ofState(7)).isNull();
    }

    @Test
    void results_map_onto_final_states_with_stable_error_codes() {
        assertThat(FirmwareObject.ofResult(0)).isNull();
        assertThat(FirmwareObject.ofResult(1)).isEqualTo(new FirmwareObject.Outcome(OtaState.SUCCEEDED, null));
        assertThat(FirmwareObject.ofResult(2))
                .isEqualTo(new FirmwareObject.Outcome(OtaState.FAILED, "NOT_ENOUGH_STORAGE"));
        assertThat(FirmwareObject.ofResult(3)).isEqualTo(new FirmwareObject.Outcome(OtaState.FAILED, "OUT_OF_MEMORY"));
        assertThat(FirmwareObject.ofResult(4))
                .isEqualTo(new FirmwareObject.Outcome(OtaState.FAILED, "CONNECTION_LOST"));
        assertThat(FirmwareObject.ofResult(5))
                .isEqualTo(new FirmwareObject.Outcome(OtaState.REJECTED, "INTEGRITY_CHECK_FAILED"));
        assertThat(FirmwareObject.ofResult(6))
                .isEqualTo(new FirmwareObject.Outcome(OtaState.REJECTED, "UNSUPPORTED_PACKAGE"));
        assertThat(FirmwareObject.ofResult(7)).isEqualTo(new FirmwareObject.Outcome(OtaState.FAILED, "INVALID_URI"));
        assertThat(FirmwareObject.ofResult(8)).isEqualTo(new FirmwareObject.Outcome(OtaState.FAILED, "UPDATE_FAILED"));
        assertThat(FirmwareObject.ofResult(9))
                .isEqualTo(new FirmwareObject.Outcome(OtaState.FAILED, "UNSUPPORTED_PROTOCOL"));
        assertThat(FirmwareObject.ofResult(10)).isEqualTo(new FirmwareObject.Outcome(OtaState.CANCELED, null));
        assertThat(FirmwareObject.ofResult(11)).as("deferred by the device").isNull();
    }

    @Test
    void every_final_outcome_is_a_state_a_device_may_report() {
        for (int result = 1; result <= 10; result++) {
            OtaState state = FirmwareObject.ofResult(result).state();
            assertThat(state.reportedByDevice()).isTrue();
            assertThat(state.terminal()).isTrue();
        }
    }
}
