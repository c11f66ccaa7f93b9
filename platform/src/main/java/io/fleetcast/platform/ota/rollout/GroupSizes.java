package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.ota.rollout.RolloutSpec.GroupSpec;
import java.util.List;

/** Splits a rollout's devices into its groups. */
final class GroupSizes {

    private GroupSizes() {}

    /**
     * The size of each group, in order. A percentage rounds up, so a 1 % canary of 50 devices still
     * gets one device; a group never takes more than is left, and the last group takes the rest.
     */
    static long[] split(long total, List<GroupSpec> groups) {
        long[] sizes = new long[groups.size()];
        long left = total;
        for (int i = 0; i < groups.size(); i++) {
            GroupSpec group = groups.get(i);
            long wanted = i == groups.size() - 1
                    ? left
                    : group.percent() != null ? (total * group.percent() + 99) / 100 : group.count();
            sizes[i] = Math.min(wanted, left);
            left -= sizes[i];
        }
        return sizes;
    }

    /** The first row number of each group, for {@code width_bucket}: 1, 1 + size0, ... */
    static Long[] lowerBounds(long[] sizes) {
        Long[] bounds = new Long[sizes.length];
        long next = 1;
        for (int i = 0; i < sizes.length; i++) {
            bounds[i] = next;
            next += sizes[i];
        }
        return bounds;
    }
}
