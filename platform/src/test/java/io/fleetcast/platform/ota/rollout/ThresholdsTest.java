package io.fleetcast.platform.ota.rollout;

import static io.fleetcast.protocol.OtaState.DOWNLOADED;
import static io.fleetcast.protocol.OtaState.DOWNLOADING;
import static io.fleetcast.protocol.OtaState.FAILED;
import static io.fleetcast.protocol.OtaState.NOTIFIED;
import static io.fleetcast.protocol.OtaState.SCHEDULED;
import static io.fleetcast.protocol.OtaState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.platform.ota.rollout.RolloutSpec.GroupSpec;
import io.fleetcast.platform.ota.rollout.RolloutSpec.SuccessAction;
import io.fleetcast.protocol.OtaMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    private static final List<Thresholds.Group> FIRST_RUNNING = List.of(
            new Thresholds.Group(1, GroupState.RUNNING, false),
            new Thresholds.Group(2, GroupState.SCHEDULED, false),
            new Thresholds.Group(3, GroupState.SCHEDULED, false));

    @Test
    void starts_the_next_group_when_the_success_threshold_is_reached() {
        ActionCounts counts =
                new ActionCounts().add(1, SUCCEEDED, 8).add(1, DOWNLOADING, 2).add(2, SCHEDULED, 10);

        Thresholds.Decision decision = Thresholds.evaluate(spec(80, null, 1), FIRST_RUNNING, counts, 0, 0);

        assertThat(decision.succeeded()).containsExactly(1);
        assertThat(decision.groupStates()).isEqualTo(Map.of(2, GroupState.RUNNING));
        assertThat(decision.rolloutState()).isNull();
    }

    @Test
    void waits_below_the_success_threshold() {
        ActionCounts counts = new ActionCounts().add(1, SUCCEEDED, 7).add(1, DOWNLOADING, 3);

        assertThat(Thresholds.evaluate(spec(80, null, 1), FIRST_RUNNING, counts, 0, 0)
                        .isEmpty())
                .isTrue();
    }

    @Test
    void pauses_after_a_successful_group_when_asked_to() {
        RolloutSpec pausing = withSuccessAction(spec(50, null, 1), SuccessAction.PAUSE);
        ActionCounts counts = new ActionCounts().add(1, SUCCEEDED, 5).add(1, NOTIFIED, 5);

        Thresholds.Decision decision = Thresholds.evaluate(pausing, FIRST_RUNNING, counts, 0, 0);

        assertThat(decision.rolloutState()).isEqualTo(RolloutState.PAUSED);
        assertThat(decision.pauseReason()).isEqualTo(Thresholds.SUCCESS_ACTION);
        assertThat(decision.groupStates()).isEmpty();
    }

    @Test
    void pauses_rollout_when_error_threshold_reached() {
        ActionCounts counts = new ActionCounts().add(1, SUCCEEDED, 6).add(1, FAILED, 4);

        Thresholds.Decision decision = Thresholds.evaluate(spec(100, 30, 10), FIRST_RUNNING, counts, 0, 0);

        assertThat(decision.rolloutState()).isEqualTo(RolloutState.PAUSED);
        assertThat(decision.pauseReason()).isEqualTo(Thresholds.ERROR_THRESHOLD);
    }

    @Test
    void the_error_threshold_waits_for_its_minimum_sample() {
        ActionCounts counts = new ActionCounts().add(1, FAILED, 1).add(1, NOTIFIED, 99);

        assertThat(Thresholds.evaluate(spec(100, 10, 5), FIRST_RUNNING, counts, 0, 0)
                        .rolloutState())
                .isNull();
    }

    @Test
    void the_error_threshold_counts_only_what_finished_since_the_last_resume() {
        ActionCounts counts = new ActionCounts().add(1, FAILED, 4).add(1, SUCCEEDED, 6);

        assertThat(Thresholds.evaluate(spec(50, 30, 1), FIRST_RUNNING, counts, 4, 4)
                        .rolloutState())
                .as("after the resume: 6 finished, all succeeded")
                .isNull();
    }

    @Test
    void closes_a_group_whose_devices_are_all_done() {
        List<Thresholds.Group> groups = List.of(
                new Thresholds.Group(1, GroupState.RUNNING, true), new Thresholds.Group(2, GroupState.RUNNING, false));
        ActionCounts counts =
                new ActionCounts().add(1, SUCCEEDED, 9).add(1, FAILED, 1).add(2, NOTIFIED, 3);

        Thresholds.Decision decision = Thresholds.evaluate(spec(90, null, 1), groups, counts, 0, 0);

        assertThat(decision.groupStates()).isEqualTo(Map.of(1, GroupState.FINISHED));
    }

    @Test
    void a_group_that_ends_below_its_threshold_is_an_error_and_pauses_the_rollout() {
        ActionCounts counts = new ActionCounts().add(1, SUCCEEDED, 5).add(1, FAILED, 5);

        Thresholds.Decision decision = Thresholds.evaluate(spec(90, null, 1), FIRST_RUNNING, counts, 0, 0);

        assertThat(decision.groupStates()).isEqualTo(Map.of(1, GroupState.ERROR));
        assertThat(decision.rolloutState()).isEqualTo(RolloutState.PAUSED);
        assertThat(decision.pauseReason()).isEqualTo(Thresholds.GROUP_ERROR);
    }

    @Test
    void finishes_the_rollout_with_its_last_group() {
        List<Thresholds.Group> groups = List.of(
                new Thresholds.Group(1, GroupState.FINISHED, true), new Thresholds.Group(2, GroupState.RUNNING, false));
        ActionCounts counts = new ActionCounts().add(1, SUCCEEDED, 1).add(2, SUCCEEDED, 3);

        Thresholds.Decision decision = Thresholds.evaluate(spec(100, null, 1), groups, counts, 0, 0);

        assertThat(decision.groupStates()).isEqualTo(Map.of(2, GroupState.FINISHED));
        assertThat(decision.rolloutState()).isEqualTo(RolloutState.FINISHED);
    }

    @Test
    void an_empty_group_succeeds_at_once() {
        Thresholds.Decision decision = Thresholds.evaluate(spec(100, null, 1), FIRST_RUNNING, new ActionCounts(), 0, 0);

        assertThat(decision.groupStates()).containsEntry(1, GroupState.FINISHED).containsEntry(2, GroupState.RUNNING);
    }

    @Test
    void download_only_counts_downloaded_as_success() {
        RolloutSpec downloadOnly = withMode(spec(100, null, 1), OtaMode.DOWNLOAD_ONLY);
        ActionCounts counts = new ActionCounts().add(1, DOWNLOADED, 10);

        assertThat(Thresholds.evaluate(downloadOnly, FIRST_RUNNING, counts, 0, 0)
                        .groupStates())
                .containsEntry(1, GroupState.FINISHED)
                .containsEntry(2, GroupState.RUNNING);
    }

    @Test
    void the_last_group_of_a_dynamic_rollout_stays_open() {
        RolloutSpec dynamic = withDynamic(spec(100, null, 1));
        List<Thresholds.Group> groups = List.of(new Thresholds.Group(1, GroupState.RUNNING, false));

        Thresholds.Decision decision =
                Thresholds.evaluate(dynamic, groups, new ActionCounts().add(1, SUCCEEDED, 5), 0, 0);

        assertThat(decision.groupStates()).isEmpty();
        assertThat(decision.rolloutState()).isNull();
    }

    @Test
    void groups_split_by_percent_and_count_and_the_last_takes_the_rest() {
        List<GroupSpec> groups = List.of(new GroupSpec(1, null), new GroupSpec(null, 10L), new GroupSpec(50, null));
        assertThat(GroupSizes.split(1000, groups)).containsExactly(10, 10, 980);
        assertThat(GroupSizes.split(50, groups)).as("a 1 % canary rounds up").containsExactly(1, 10, 39);
        assertThat(GroupSizes.split(5, groups)).containsExactly(1, 4, 0);
        assertThat(GroupSizes.lowerBounds(new long[] {1, 10, 39})).containsExactly(1L, 2L, 12L);
    }

    private static RolloutSpec spec(int success, Integer error, int minSample) {
        return RolloutSpecs.validated(new RolloutSpec(
                "r",
                "2.0",
                new RolloutSpec.Target(DeviceFilter.ALL, null),
                false,
                List.of(new GroupSpec(10, null), new GroupSpec(40, null), new GroupSpec(50, null)),
                success,
                null,
                error,
                minSample,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    }

    private static RolloutSpec withSuccessAction(RolloutSpec s, SuccessAction action) {
        return new RolloutSpec(
                s.name(),
                s.version(),
                s.target(),
                s.dynamic(),
                s.groups(),
                s.successThreshold(),
                action,
                s.errorThreshold(),
                s.errorMinSample(),
                s.approvalRequired(),
                s.startAt(),
                s.rate(),
                s.inProgressTimeoutMinutes(),
                s.retries(),
                s.maintenanceWindow(),
                s.mode(),
                s.consentRequired());
    }

    private static RolloutSpec withMode(RolloutSpec s, OtaMode mode) {
        return new RolloutSpec(
                s.name(),
                s.version(),
                s.target(),
                s.dynamic(),
                s.groups(),
                s.successThreshold(),
                s.successAction(),
                s.errorThreshold(),
                s.errorMinSample(),
                s.approvalRequired(),
                s.startAt(),
                s.rate(),
                s.inProgressTimeoutMinutes(),
                s.retries(),
                s.maintenanceWindow(),
                mode,
                s.consentRequired());
    }

    private static RolloutSpec withDynamic(RolloutSpec s) {
        return new RolloutSpec(
                s.name(),
                s.version(),
                s.target(),
                true,
                List.of(new GroupSpec(100, null)),
                s.successThreshold(),
                s.successAction(),
                s.errorThreshold(),
                s.errorMinSample(),
                s.approvalRequired(),
                s.startAt(),
                s.rate(),
                s.inProgressTimeoutMinutes(),
                s.retries(),
                s.maintenanceWindow(),
                s.mode(),
                s.consentRequired());
    }
}
