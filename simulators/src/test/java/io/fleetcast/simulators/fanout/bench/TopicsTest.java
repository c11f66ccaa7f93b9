package io.fleetcast.simulators.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopicsTest {

    final FanoutSettings settings = FanoutSettings.full();

    @Test
    void fan_out_sizes_nest_small_in_mid_in_all() {
        assertThat(Topics.fanout(0, settings)).containsExactly(Topics.ALL, Topics.MID, Topics.SMALL);
        assertThat(Topics.fanout(5_000, settings)).containsExactly(Topics.ALL, Topics.MID);
        assertThat(Topics.fanout(18_999, settings)).containsExactly(Topics.ALL);
    }

    @Test
    void s6_reaches_each_mid_subscriber_through_exactly_one_filter_and_adds_the_unrelated_ones() {
        List<String> all = new ArrayList<>();
        IntStream.range(0, settings.subscribers()).forEach(i -> all.addAll(Topics.s6(i, settings)));

        long matching = all.stream().filter(TopicsTest::matchesS6Topic).count();
        assertThat(matching).isEqualTo(settings.midSubscribers());
        assertThat(all).hasSize(settings.midSubscribers() + settings.unrelatedSubscriptions());
        assertThat(all).contains("tv/+/moment", "tv/x/#", "tv/y2/moment", "tv/y3/#", "b/0/moment", "b/1/+");
    }

    @Test
    void unrelated_filters_wrap_round_when_there_are_more_than_connections() {
        FanoutSettings small = settings.withSubscribers(10, 5, 1, 30);

        int total = IntStream.range(0, 10).map(i -> Topics.s6(i, small).size()).sum();

        assertThat(total).isEqualTo(5 + 30);
    }

    /** tv/x/moment against the filters S6 uses; no general matcher needed here. */
    private static boolean matchesS6Topic(String filter) {
        return filter.equals("tv/x/moment") || filter.equals("tv/+/moment") || filter.equals("tv/x/#");
    }
}
