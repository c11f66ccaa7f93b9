package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.ota.rollout.RolloutSpec.SuccessAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides what a running rollout does next from its action counts: pause on the error threshold,
 * move on when a group reaches its success threshold, close groups whose devices are all done, finish
 * the rollout. Pure: the scheduler tick reads the counts, calls this, and writes the decision.
 */
public final class Thresholds {

    public static final String ERROR_THRESHOLD = "ERROR_THRESHOLD";
    public static final String SUCCESS_ACTION = "SUCCESS_ACTION";
    public static final String GROUP_ERROR = "GROUP_ERROR";

    private Thresholds() {}

    /** A group as the tick found it. */
    public record Group(int no, GroupState state, boolean succeeded) {}

    /**
     * What to change.
     *
     * @param rolloutState the new state, or null to keep it
     * @param pauseReason why the rollout pauses, with {@code rolloutState} PAUSED
     * @param groupStates groups whose state changes
     * @param succeeded groups that reached their success threshold just now
     */
    public record Decision(
            RolloutState rolloutState,
            String pauseReason,
            Map<Integer, GroupState> groupStates,
            List<Integer> succeeded) {

        public boolean isEmpty() {
            return rolloutState == null && groupStates.isEmpty() && succeeded.isEmpty();
        }
    }

    public static Decision evaluate(
            RolloutSpec spec, List<Group> groups, ActionCounts counts, long errorBaseline, long finishedBaseline) {
        boolean downloadOnly = spec.isDownloadOnly();
        if (errorThresholdReached(spec, counts, errorBaseline, finishedBaseline)) {
            return new Decision(RolloutState.PAUSED, ERROR_THRESHOLD, Map.of(), List.of());
        }
        Map<Integer, GroupState> changes = new TreeMap<>();
        List<Integer> succeededNow = new ArrayList<>();
        RolloutState rolloutState = null;
        String pauseReason = null;
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            if (group.state() != GroupState.RUNNING) {
                continue;
            }
            long size = counts.size(group.no());
            long success = counts.count(group.no(), state -> ActionStateMachine.isSuccess(state, downloadOnly));
            long done = counts.count(group.no(), state -> ActionStateMachine.isDone(state, downloadOnly));
            boolean last = i == groups.size() - 1;
            boolean succeeded = group.succeeded() || success * 100 >= (long) spec.successThreshold() * size;
            if (succeeded && !group.succeeded()) {
                succeededNow.add(group.no());
                if (!last) {
                    if (spec.successAction() == SuccessAction.PAUSE) {
                        rolloutState = RolloutState.PAUSED;
                        pauseReason = SUCCESS_ACTION;
                    } else {
                        changes.put(groups.get(i + 1).no(), GroupState.RUNNING);
                    }
                }
            }
            // The last group of a dynamic rollout stays open: devices that match later join it.
            boolean open = last && spec.isDynamic();
            if (done == size && !open) {
                changes.put(group.no(), succeeded ? GroupState.FINISHED : GroupState.ERROR);
                if (!succeeded && !last) {
                    rolloutState = RolloutState.PAUSED;
                    pauseReason = GROUP_ERROR;
                }
            }
        }
        if (rolloutState == null && allClosed(groups, changes)) {
            rolloutState = RolloutState.FINISHED;
        }
        return new Decision(rolloutState, pauseReason, changes, succeededNow);
    }

    /**
     * Errors among the devices that finished since the last resume, once at least the minimum sample
     * finished; strictly above the threshold, so a threshold of 0 pauses at the first error.
     */
    static boolean errorThresholdReached(
            RolloutSpec spec, ActionCounts counts, long errorBaseline, long finishedBaseline) {
        if (spec.errorThreshold() == null) {
            return false;
        }
        boolean downloadOnly = spec.isDownloadOnly();
        long finished = counts.total(state -> ActionStateMachine.isDone(state, downloadOnly)) - finishedBaseline;
        long errors = counts.total(ActionStateMachine.ERRORS::contains) - errorBaseline;
        return finished >= spec.errorMinSample() && errors * 100 > (long) spec.errorThreshold() * finished;
    }

    private static boolean allClosed(List<Group> groups, Map<Integer, GroupState> changes) {
        for (Group group : groups) {
            GroupState state = changes.getOrDefault(group.no(), group.state());
            if (state != GroupState.FINISHED && state != GroupState.ERROR) {
                return false;
            }
        }
        return true;
    }
}
