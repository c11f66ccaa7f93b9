package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The legal moves of one device's action. A device only moves forward: it may skip states (a report
 * can be lost, and the batch writer keeps only the furthest report of a device per flush), may repeat
 * its current state (download progress, a QoS 1 duplicate), and may end the action from any state
 * after it was notified. Nothing leaves a terminal state except the platform's retry.
 */
public final class ActionStateMachine {

    /** States between the assignment and the end: the in-progress timeout runs over these. */
    public static final Set<OtaState> IN_FLIGHT = EnumSet.of(
            OtaState.NOTIFIED,
            OtaState.DOWNLOADING,
            OtaState.DOWNLOADED,
            OtaState.WAITING_CONSENT,
            OtaState.INSTALLING,
            OtaState.REBOOTING);

    /** Terminal states that count against the error threshold. */
    public static final Set<OtaState> ERRORS =
            EnumSet.of(OtaState.FAILED, OtaState.ROLLED_BACK, OtaState.TIMED_OUT, OtaState.REJECTED);

    /**
     * Terminal states that did not succeed: the rows of phase UNSUCCESSFUL (see the V7 migration),
     * which retries and failure listings find by index.
     */
    public static final Set<OtaState> UNSUCCESSFUL =
            EnumSet.of(OtaState.FAILED, OtaState.ROLLED_BACK, OtaState.TIMED_OUT, OtaState.REJECTED, OtaState.CANCELED);

    /** Terminal states a retry may start over from. */
    public static final Set<OtaState> RETRYABLE = EnumSet.of(OtaState.FAILED, OtaState.TIMED_OUT);

    private static final List<String[]> REPORT_PAIRS = reportPairs();

    private ActionStateMachine() {}

    /** Whether a device may move its action from {@code from} to {@code to} by a report. */
    public static boolean mayReport(OtaState from, OtaState to) {
        if (!to.reportedByDevice() || from.terminal() || from == OtaState.SCHEDULED) {
            return false;
        }
        return to.terminal() || to.ordinal() >= from.ordinal();
    }

    /** Whether the platform may move an action: notify, cancel unsent, time out, retry. */
    public static boolean platformMay(OtaState from, OtaState to) {
        return switch (to) {
            case NOTIFIED -> from == OtaState.SCHEDULED;
            case CANCELED -> from == OtaState.SCHEDULED;
            case TIMED_OUT -> IN_FLIGHT.contains(from);
            case SCHEDULED -> RETRYABLE.contains(from);
            default -> false;
        };
    }

    /**
     * Every legal report move as {from, to} names, handed to the batch UPDATE so that the database
     * applies exactly this rule and no copy of it lives in SQL.
     */
    public static List<String[]> reportPairs() {
        if (REPORT_PAIRS != null) {
            return REPORT_PAIRS;
        }
        List<String[]> pairs = new ArrayList<>();
        for (OtaState from : OtaState.values()) {
            for (OtaState to : OtaState.values()) {
                if (mayReport(from, to)) {
                    pairs.add(new String[] {from.name(), to.name()});
                }
            }
        }
        return List.copyOf(pairs);
    }

    /**
     * The phase a report to {@code to} moves its action to, or null when the action stays in its
     * phase (SENT): progress and success change no indexed column, so their updates are HOT.
     */
    public static String phaseAfterReport(OtaState to) {
        return UNSUCCESSFUL.contains(to) ? "UNSUCCESSFUL" : null;
    }

    /**
     * Whether the action is done for its group: terminal, or downloaded in a download-only rollout
     * (nothing further is asked of the device).
     */
    public static boolean isDone(OtaState state, boolean downloadOnly) {
        return state.terminal() || (downloadOnly && state == OtaState.DOWNLOADED);
    }

    /** Whether the action counts as a success for its group's threshold. */
    public static boolean isSuccess(OtaState state, boolean downloadOnly) {
        return state == OtaState.SUCCEEDED || (downloadOnly && state == OtaState.DOWNLOADED);
    }
}
