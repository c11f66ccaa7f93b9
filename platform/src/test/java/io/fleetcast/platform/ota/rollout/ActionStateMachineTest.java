package io.fleetcast.platform.ota.rollout;

import static io.fleetcast.protocol.OtaState.CANCELED;
import static io.fleetcast.protocol.OtaState.DOWNLOADED;
import static io.fleetcast.protocol.OtaState.DOWNLOADING;
import static io.fleetcast.protocol.OtaState.FAILED;
import static io.fleetcast.protocol.OtaState.INSTALLING;
import static io.fleetcast.protocol.OtaState.NOTIFIED;
import static io.fleetcast.protocol.OtaState.REBOOTING;
import static io.fleetcast.protocol.OtaState.ROLLED_BACK;
import static io.fleetcast.protocol.OtaState.SCHEDULED;
import static io.fleetcast.protocol.OtaState.SUCCEEDED;
import static io.fleetcast.protocol.OtaState.TIMED_OUT;
import static io.fleetcast.protocol.OtaState.WAITING_CONSENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.OtaState;
import org.junit.jupiter.api.Test;

class ActionStateMachineTest {

    @Test
    void a_device_moves_forward_through_the_happy_path() {
        OtaState[] path = {NOTIFIED, DOWNLOADING, DOWNLOADED, WAITING_CONSENT, INSTALLING, REBOOTING, SUCCEEDED};
        for (int i = 1; i < path.length; i++) {
            assertThat(ActionStateMachine.mayReport(path[i - 1], path[i]))
                    .as("%s -> %s", path[i - 1], path[i])
                    .isTrue();
        }
    }

    @Test
    void a_device_may_skip_states_and_repeat_its_current_one() {
        assertThat(ActionStateMachine.mayReport(NOTIFIED, INSTALLING)).isTrue();
        assertThat(ActionStateMachine.mayReport(DOWNLOADING, DOWNLOADING)).isTrue();
    }

    @Test
    void a_device_may_end_its_action_from_any_state_after_notification() {
        for (OtaState from : ActionStateMachine.IN_FLIGHT) {
            assertThat(ActionStateMachine.mayReport(from, FAILED)).isTrue();
            assertThat(ActionStateMachine.mayReport(from, CANCELED)).isTrue();
        }
        assertThat(ActionStateMachine.mayReport(REBOOTING, ROLLED_BACK)).isTrue();
    }

    @Test
    void refuses_backward_moves_moves_out_of_terminal_states_and_reports_before_notification() {
        assertThat(ActionStateMachine.mayReport(INSTALLING, DOWNLOADING)).isFalse();
        assertThat(ActionStateMachine.mayReport(SUCCEEDED, DOWNLOADING)).isFalse();
        assertThat(ActionStateMachine.mayReport(FAILED, SUCCEEDED)).isFalse();
        assertThat(ActionStateMachine.mayReport(SCHEDULED, DOWNLOADING)).isFalse();
    }

    @Test
    void devices_cannot_report_the_platforms_states() {
        assertThat(ActionStateMachine.mayReport(DOWNLOADING, TIMED_OUT)).isFalse();
        assertThat(ActionStateMachine.mayReport(DOWNLOADING, NOTIFIED)).isFalse();
        assertThat(ActionStateMachine.mayReport(NOTIFIED, SCHEDULED)).isFalse();
    }

    @Test
    void the_platform_notifies_times_out_and_retries() {
        assertThat(ActionStateMachine.platformMay(SCHEDULED, NOTIFIED)).isTrue();
        assertThat(ActionStateMachine.platformMay(INSTALLING, TIMED_OUT)).isTrue();
        assertThat(ActionStateMachine.platformMay(TIMED_OUT, SCHEDULED)).isTrue();
        assertThat(ActionStateMachine.platformMay(SUCCEEDED, SCHEDULED)).isFalse();
        assertThat(ActionStateMachine.platformMay(SUCCEEDED, TIMED_OUT)).isFalse();
    }

    @Test
    void the_pairs_handed_to_sql_are_exactly_the_legal_reports() {
        long legal = 0;
        for (OtaState from : OtaState.values()) {
            for (OtaState to : OtaState.values()) {
                if (ActionStateMachine.mayReport(from, to)) {
                    legal++;
                }
            }
        }
        assertThat(ActionStateMachine.reportPairs()).hasSize((int) legal);
    }

    @Test
    void download_only_rollouts_are_done_at_downloaded() {
        assertThat(ActionStateMachine.isDone(DOWNLOADED, true)).isTrue();
        assertThat(ActionStateMachine.isSuccess(DOWNLOADED, true)).isTrue();
        assertThat(ActionStateMachine.isDone(DOWNLOADED, false)).isFalse();
    }

    @Test
    void the_batch_writer_keeps_the_furthest_report_of_an_action() {
        ReportWriter.Report downloading = new ReportWriter.Report("t", 1, DOWNLOADING, null);
        ReportWriter.Report installing = new ReportWriter.Report("t", 1, INSTALLING, null);
        ReportWriter.Report failed = new ReportWriter.Report("t", 1, FAILED, "X");
        ReportWriter.Report retried = new ReportWriter.Report("t", 2, DOWNLOADING, null);

        assertThat(ReportWriter.furthest(downloading, installing)).isEqualTo(installing);
        assertThat(ReportWriter.furthest(installing, downloading)).isEqualTo(installing);
        assertThat(ReportWriter.furthest(failed, installing)).isEqualTo(failed);
        assertThat(ReportWriter.furthest(failed, retried)).isEqualTo(retried);
    }
}
