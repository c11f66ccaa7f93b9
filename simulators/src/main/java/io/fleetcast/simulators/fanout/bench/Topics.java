package io.fleetcast.simulators.fanout.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Which connection subscribes to what. Connection {@code i} subscribes to the S4 topic, to the S2
 * topic if {@code i < mid} and to the S1 topic if {@code i < small}: one set of connections serves
 * all three fan-outs, and the idle ones cost what S0 measures.
 */
final class Topics {

    static final String ALL = "fanout/all";
    static final String MID = "fanout/mid";
    static final String SMALL = "fanout/small";
    /** What S6 publishes to; its subscribers reach it through an exact filter or a wildcard. */
    static final String S6_TOPIC = "tv/x/moment";

    private Topics() {}

    static List<String> fanout(int index, FanoutSettings settings) {
        List<String> filters = new ArrayList<>(3);
        filters.add(ALL);
        if (index < settings.midSubscribers()) {
            filters.add(MID);
        }
        if (index < settings.smallSubscribers()) {
            filters.add(SMALL);
        }
        return filters;
    }

    /**
     * S6's filters for connection {@code index}: the first {@code mid} connections reach
     * {@link #S6_TOPIC} by {@code tv/x/moment}, {@code tv/+/moment} or {@code tv/x/#} in turn;
     * {@code unrelated} more filters, spread from connection {@code mid} onward (wrapping), match
     * nothing that is published but share levels with it ({@code tv/y<j>/moment}, {@code tv/y<j>/#}) or
     * not ({@code b/<j>/moment}, {@code b/<j>/+}).
     */
    static List<String> s6(int index, FanoutSettings settings) {
        List<String> filters = new ArrayList<>(2);
        int mid = settings.midSubscribers();
        if (index < mid) {
            filters.add(
                    switch (index % 3) {
                        case 0 -> "tv/x/moment";
                        case 1 -> "tv/+/moment";
                        default -> "tv/x/#";
                    });
        }
        int n = settings.subscribers();
        for (int j = Math.floorMod(index - mid, n); j < settings.unrelatedSubscriptions(); j += n) {
            filters.add(
                    switch (j % 4) {
                        case 0 -> "b/" + j + "/moment";
                        case 1 -> "b/" + j + "/+";
                        case 2 -> "tv/y" + j + "/moment";
                        default -> "tv/y" + j + "/#";
                    });
        }
        return filters;
    }
}
