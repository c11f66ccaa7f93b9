package io.fleetcast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {

    private final SubscriptionIndex<String> index = new SubscriptionIndex<>();

    @Test
    void matches_multi_level_wildcard_including_the_parent() {
        index.subscribe("sport/tennis/player1/#", "s1", SubscriptionOptions.QOS_1);

        assertThat(subscribers("sport/tennis/player1")).containsExactly("s1");
        assertThat(subscribers("sport/tennis/player1/ranking")).containsExactly("s1");
        assertThat(subscribers("sport/tennis/player1/score/wimbledon")).containsExactly("s1");
        assertThat(subscribers("sport/tennis/player2")).isEmpty();
    }

    @Test
    void matches_plus_at_one_level_only() {
        index.subscribe("sport/+", "s1", SubscriptionOptions.QOS_0);

        assertThat(subscribers("sport/")).containsExactly("s1");
        assertThat(subscribers("sport/tennis")).containsExactly("s1");
        assertThat(subscribers("sport")).isEmpty();
        assertThat(subscribers("sport/tennis/player1")).isEmpty();
    }

    @Test
    void matches_empty_levels_with_plus() {
        index.subscribe("+/+", "both", SubscriptionOptions.QOS_0);
        index.subscribe("/+", "leading", SubscriptionOptions.QOS_0);
        index.subscribe("+", "one", SubscriptionOptions.QOS_0);

        assertThat(subscribers("/finance")).containsExactlyInAnyOrder("both", "leading");
        assertThat(subscribers("finance")).containsExactly("one");
    }

    @Test
    void hash_alone_matches_every_topic_except_dollar_topics() {
        index.subscribe("#", "all", SubscriptionOptions.QOS_0);

        assertThat(subscribers("a")).containsExactly("all");
        assertThat(subscribers("a/b/c")).containsExactly("all");
        assertThat(subscribers("/")).containsExactly("all");
        assertThat(subscribers("$SYS/broker/load")).isEmpty();
    }

    @Test
    void leading_wildcards_never_match_dollar_topics() {
        index.subscribe("+/monitor/Clients", "plus", SubscriptionOptions.QOS_0);
        index.subscribe("$SYS/#", "sys", SubscriptionOptions.QOS_0);
        index.subscribe("$SYS/monitor/+", "sys-plus", SubscriptionOptions.QOS_0);
        index.subscribe("$SYS/monitor/Clients", "sys-exact", SubscriptionOptions.QOS_0);

        assertThat(subscribers("$SYS/monitor/Clients")).containsExactlyInAnyOrder("sys", "sys-plus", "sys-exact");
        assertThat(subscribers("x/monitor/Clients")).containsExactly("plus");
    }

    @Test
    void exact_and_wildcard_filters_both_match() {
        index.subscribe("d/tv-1/c", "tv-1", SubscriptionOptions.QOS_1);
        index.subscribe("d/+/c", "audit", SubscriptionOptions.QOS_0);
        index.subscribe("d/#", "everything", SubscriptionOptions.QOS_0);

        assertThat(index.match("d/tv-1/c"))
                .containsExactlyInAnyOrder(
                        new Subscription<>("d/tv-1/c", null, "tv-1", SubscriptionOptions.QOS_1),
                        new Subscription<>("d/+/c", null, "audit", SubscriptionOptions.QOS_0),
                        new Subscription<>("d/#", null, "everything", SubscriptionOptions.QOS_0));
        assertThat(subscribers("d/tv-2/c")).containsExactlyInAnyOrder("audit", "everything");
    }

    @Test
    void repeated_subscribe_replaces_the_options() {
        assertThat(index.subscribe("a/b", "s1", SubscriptionOptions.QOS_0)).isTrue();
        assertThat(index.subscribe("a/b", "s1", SubscriptionOptions.QOS_2)).isFalse();

        assertThat(index.match("a/b"))
                .containsExactly(new Subscription<>("a/b", null, "s1", SubscriptionOptions.QOS_2));
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void overlapping_filters_report_one_match_per_filter() {
        index.subscribe("a/+", "s1", SubscriptionOptions.QOS_0);
        index.subscribe("a/#", "s1", SubscriptionOptions.QOS_1);

        assertThat(index.match("a/b")).extracting(Subscription::filter).containsExactlyInAnyOrder("a/+", "a/#");
    }

    @Test
    void unsubscribe_removes_only_that_subscription() {
        index.subscribe("a/+", "s1", SubscriptionOptions.QOS_0);
        index.subscribe("a/+", "s2", SubscriptionOptions.QOS_0);
        index.subscribe("a/b", "s1", SubscriptionOptions.QOS_0);

        assertThat(index.unsubscribe("a/+", "s1")).isTrue();
        assertThat(index.unsubscribe("a/+", "s1")).isFalse();
        assertThat(index.unsubscribe("a/#", "s1")).isFalse();
        assertThat(index.unsubscribe("x/y", "s1")).isFalse();

        assertThat(subscribers("a/b")).containsExactlyInAnyOrder("s2", "s1");
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void cached_match_sees_later_subscribes_and_unsubscribes() {
        assertThat(subscribers("b/t1/m/x1")).isEmpty();
        assertThat(index.cachedTopics()).isEqualTo(1);

        index.subscribe("b/t1/m/+", "s1", SubscriptionOptions.QOS_0);
        assertThat(subscribers("b/t1/m/x1")).containsExactly("s1");

        index.subscribe("b/t1/m/x1", "s2", SubscriptionOptions.QOS_0);
        assertThat(subscribers("b/t1/m/x1")).containsExactlyInAnyOrder("s1", "s2");

        index.subscribe("b/t1/m/+", "s3", SubscriptionOptions.QOS_0);
        assertThat(subscribers("b/t1/m/x1")).containsExactlyInAnyOrder("s1", "s2", "s3");

        index.unsubscribe("b/t1/m/+", "s1");
        index.unsubscribe("b/t1/m/+", "s3");
        assertThat(subscribers("b/t1/m/x1")).containsExactly("s2");

        index.unsubscribe("b/t1/m/x1", "s2");
        assertThat(subscribers("b/t1/m/x1")).isEmpty();

        index.subscribe("b/t1/m/x1", "s4", SubscriptionOptions.QOS_0);
        assertThat(subscribers("b/t1/m/x1")).containsExactly("s4");
    }

    @Test
    void new_exact_filter_leaves_other_cached_topics_alone() {
        index.subscribe("d/+/c", "audit", SubscriptionOptions.QOS_0);
        subscribers("d/tv-1/c");
        subscribers("d/tv-2/c");

        index.subscribe("d/tv-1/c", "tv-1", SubscriptionOptions.QOS_0);

        assertThat(index.cachedTopics()).isEqualTo(1);
        assertThat(subscribers("d/tv-1/c")).containsExactlyInAnyOrder("audit", "tv-1");
    }

    @Test
    void cache_stays_within_its_bound() {
        SubscriptionIndex<String> small = new SubscriptionIndex<>(TopicLimits.DEFAULT, 4);
        small.subscribe("t/+", "s1", SubscriptionOptions.QOS_0);

        for (int i = 0; i < 100; i++) {
            assertThat(small.match("t/" + i)).hasSize(1);
        }

        assertThat(small.cachedTopics()).isLessThanOrEqualTo(4);
    }

    @Test
    void shared_subscription_delivers_to_one_member_per_group_in_turn() {
        index.subscribe("$share/workers/jobs/+", "w1", SubscriptionOptions.QOS_1);
        index.subscribe("$share/workers/jobs/+", "w2", SubscriptionOptions.QOS_1);
        index.subscribe("$share/workers/jobs/+", "w3", SubscriptionOptions.QOS_1);
        index.subscribe("$share/audit/jobs/+", "a1", SubscriptionOptions.QOS_0);
        index.subscribe("jobs/+", "plain", SubscriptionOptions.QOS_0);

        Map<String, Integer> deliveries = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            List<Subscription<String>> matches = index.match("jobs/" + (i % 7));
            assertThat(matches).hasSize(3);
            assertThat(matches)
                    .filteredOn(s -> "workers".equals(s.shareGroup()))
                    .hasSize(1);
            matches.forEach(s -> deliveries.merge(s.subscriber(), 1, Integer::sum));
        }

        assertThat(deliveries)
                .containsEntry("w1", 100)
                .containsEntry("w2", 100)
                .containsEntry("w3", 100)
                .containsEntry("a1", 300)
                .containsEntry("plain", 300);
    }

    @Test
    void shared_and_plain_subscriptions_of_one_subscriber_are_separate() {
        index.subscribe("$share/g/a", "s1", SubscriptionOptions.QOS_0);
        index.subscribe("a", "s1", SubscriptionOptions.QOS_1);

        index.unsubscribe("a", "s1");
        assertThat(index.match("a")).containsExactly(new Subscription<>("a", "g", "s1", SubscriptionOptions.QOS_0));

        index.unsubscribe("$share/g/a", "s1");
        assertThat(index.match("a")).isEmpty();
        assertThat(index.size()).isZero();
    }

    @Test
    void share_group_that_loses_a_member_keeps_delivering_to_the_rest() {
        index.subscribe("$share/g/x", "w1", SubscriptionOptions.QOS_0);
        index.subscribe("$share/g/x", "w2", SubscriptionOptions.QOS_0);
        index.unsubscribe("$share/g/x", "w1");

        for (int i = 0; i < 5; i++) {
            assertThat(subscribers("x")).containsExactly("w2");
        }
    }

    @Test
    void for_each_match_visits_every_subscriber_of_a_broadcast_filter() {
        for (int i = 0; i < 1_000; i++) {
            index.subscribe("b/t1/t", "tv-" + i, SubscriptionOptions.QOS_0);
        }
        for (int i = 0; i < 1_000; i += 2) {
            index.unsubscribe("b/t1/t", "tv-" + i);
        }

        List<String> visited = new ArrayList<>();
        index.forEachMatch("b/t1/t", (subscriber, options) -> visited.add(subscriber));

        assertThat(visited)
                .hasSize(500)
                .doesNotHaveDuplicates()
                .allMatch(s -> Integer.parseInt(s.substring(3)) % 2 == 1);
    }

    @Test
    void rejects_invalid_topics_and_filters() {
        assertThatThrownBy(() -> index.match("a/+")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> index.match("")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> index.subscribe("a/#/b", "s1", SubscriptionOptions.QOS_0))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> index.unsubscribe("$share/g", "s1")).isInstanceOf(InvalidTopicException.class);
        assertThat(index.size()).isZero();
    }

    @Test
    void applies_its_limits_to_topics_and_filters() {
        SubscriptionIndex<String> limited = new SubscriptionIndex<>(new TopicLimits(16, 3), 10);

        assertThatThrownBy(() -> limited.subscribe("a/b/c/d", "s1", SubscriptionOptions.QOS_0))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> limited.match("a/b/c/d")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> limited.match("x".repeat(17))).isInstanceOf(InvalidTopicException.class);
    }

    private List<String> subscribers(String topic) {
        return index.match(topic).stream().map(Subscription::subscriber).toList();
    }

    @Test
    void keeps_each_subscribers_affinity_through_removals_and_refreshes_it_on_subscribe() {
        Map<String, String> loops = new HashMap<>(Map.of("a", "loop-1", "b", "loop-2", "c", "loop-1"));
        SubscriptionIndex<String> grouped =
                new SubscriptionIndex<>(TopicLimits.DEFAULT, 0, InterestListener.NONE, loops::get);
        for (int i = 0; i < 20; i++) {
            loops.put("tv-" + i, "loop-" + (i % 3));
            grouped.subscribe("b/channel", "tv-" + i, SubscriptionOptions.QOS_0);
        }
        grouped.subscribe("$share/g/b/channel", "a", SubscriptionOptions.QOS_0);
        for (int i = 0; i < 20; i += 2) {
            grouped.unsubscribe("b/channel", "tv-" + i); // swaps later entries into the holes
        }
        loops.put("tv-1", "loop-9");
        grouped.subscribe("b/channel", "tv-1", SubscriptionOptions.QOS_1);

        Map<String, Object> seen = new HashMap<>();
        grouped.forEachMatch("b/channel", new MatchVisitor<>() {
            @Override
            public void visit(String subscriber, SubscriptionOptions options) {
                throw new AssertionError("the index passes the affinity");
            }

            @Override
            public void visit(String subscriber, SubscriptionOptions options, Object affinity) {
                seen.put(subscriber, affinity);
            }
        });

        Map<String, Object> expected = new HashMap<>();
        for (int i = 1; i < 20; i += 2) {
            expected.put("tv-" + i, "loop-" + (i % 3));
        }
        expected.put("tv-1", "loop-9");
        expected.put("a", "loop-1");
        assertThat(seen).isEqualTo(expected);
    }
}
