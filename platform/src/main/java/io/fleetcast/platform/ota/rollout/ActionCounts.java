package io.fleetcast.platform.ota.rollout;

import io.fleetcast.protocol.OtaState;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** How many actions of a rollout are in each state, per group: the rows of {@code rollout_counts}. */
public final class ActionCounts {

    private final Map<Integer, EnumMap<OtaState, Long>> byGroup = new TreeMap<>();

    public ActionCounts add(int group, OtaState state, long n) {
        byGroup.computeIfAbsent(group, g -> new EnumMap<>(OtaState.class)).merge(state, n, Long::sum);
        return this;
    }

    public long count(int group, Predicate<OtaState> which) {
        EnumMap<OtaState, Long> states = byGroup.get(group);
        if (states == null) {
            return 0;
        }
        long n = 0;
        for (var entry : states.entrySet()) {
            if (which.test(entry.getKey())) {
                n += entry.getValue();
            }
        }
        return n;
    }

    public long total(Predicate<OtaState> which) {
        long n = 0;
        for (int group : byGroup.keySet()) {
            n += count(group, which);
        }
        return n;
    }

    public long size(int group) {
        return count(group, state -> true);
    }

    /** Per group, per state; states with no actions are left out. */
    public Map<Integer, Map<OtaState, Long>> asMap() {
        Map<Integer, Map<OtaState, Long>> copy = new TreeMap<>();
        byGroup.forEach((group, states) -> {
            EnumMap<OtaState, Long> nonZero = new EnumMap<>(OtaState.class);
            states.forEach((state, n) -> {
                if (n != 0) {
                    nonZero.put(state, n);
                }
            });
            copy.put(group, nonZero);
        });
        return copy;
    }
}
