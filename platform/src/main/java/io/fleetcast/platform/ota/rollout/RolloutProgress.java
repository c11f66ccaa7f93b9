package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Actions per state, for the whole rollout and per group.
 *
 * @param states actions per state over all groups (states with none left out)
 */
public record RolloutProgress(
        UUID rolloutId, RolloutState state, long totalDevices, Map<OtaState, Long> states, List<GroupProgress> groups) {

    public record GroupProgress(int group, GroupState state, long size, Map<OtaState, Long> states) {}
}
