package io.fleetcast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random subscribe, unsubscribe and match sequences checked against a naive matcher: every
 * subscription in a set, each tested with {@link TopicFilter#matches}. A small alphabet of levels
 * makes filters collide, overlap and come back after being removed, which is where cache bugs hide.
 */
class SubscriptionIndexPropertyTest {

    private static final String[] LEVELS = {"a", "b", "", "$SYS", "+", "#"};
    private static final String[] SUBSCRIBERS = {"s1", "s2", "s3", "s4"};
    private static final int STEPS = 20_000;

    /**
     * Cache sizes: off, tiny (constant clearing), large (never full). Exact-only runs matter on their
     * own: in mixed runs a new wildcard filter clears the cache so often that it would hide a missed
     * exact-filter invalidation.
     */
    @ParameterizedTest
    @CsvSource({"0, false", "3, false", "10000, false", "10000, true"})
    void agrees_with_naive_matcher_over_random_operations(int cacheSize, boolean exactOnly) {
        Random random = new Random(20261121L + cacheSize);
        int levelChoices = exactOnly ? 4 : LEVELS.length;
        SubscriptionIndex<String> index = new SubscriptionIndex<>(TopicLimits.DEFAULT, cacheSize);
        Map<String, Set<String>> reference = new HashMap<>();

        for (int step = 0; step < STEPS; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                String filter = randomFilter(random, levelChoices);
                String subscriber = SUBSCRIBERS[random.nextInt(SUBSCRIBERS.length)];
                boolean added =
                        reference.computeIfAbsent(filter, f -> new HashSet<>()).add(subscriber);
                assertThat(index.subscribe(filter, subscriber, SubscriptionOptions.QOS_0))
                        .as("step %d subscribe %s %s", step, filter, subscriber)
                        .isEqualTo(added);
            } else if (op < 7) {
                String filter = randomFilter(random, levelChoices);
                String subscriber = SUBSCRIBERS[random.nextInt(SUBSCRIBERS.length)];
                Set<String> subscribers = reference.get(filter);
                boolean removed = subscribers != null && subscribers.remove(subscriber);
                assertThat(index.unsubscribe(filter, subscriber))
                        .as("step %d unsubscribe %s %s", step, filter, subscriber)
                        .isEqualTo(removed);
            } else {
                String topic = randomTopic(random);
                assertThat(actual(index, topic, reference))
                        .as("step %d match %s", step, topic)
                        .containsExactlyInAnyOrderElementsOf(expected(reference, topic));
            }
        }
        assertThat(index.size())
                .isEqualTo(reference.values().stream().mapToInt(Set::size).sum());
    }

    /** A share group's pick is checked for membership, then reported by group name only. */
    private static List<String> actual(
            SubscriptionIndex<String> index, String topic, Map<String, Set<String>> reference) {
        return index.match(topic).stream()
                .map(s -> {
                    if (s.shareGroup() == null) {
                        return s.filter() + " " + s.subscriber();
                    }
                    String raw = "$share/" + s.shareGroup() + "/" + s.filter();
                    assertThat(reference.get(raw)).as("members of %s", raw).contains(s.subscriber());
                    return raw;
                })
                .toList();
    }

    private static List<String> expected(Map<String, Set<String>> reference, String topic) {
        List<String> result = new ArrayList<>();
        reference.forEach((raw, subscribers) -> {
            TopicFilter filter = TopicFilter.parse(raw);
            if (!subscribers.isEmpty() && filter.matches(topic)) {
                if (filter.isShared()) {
                    result.add(raw);
                } else {
                    subscribers.forEach(s -> result.add(raw + " " + s));
                }
            }
        });
        return result;
    }

    private static String randomFilter(Random random, int levelChoices) {
        while (true) {
            int depth = 1 + random.nextInt(4);
            StringBuilder filter = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) {
                    filter.append('/');
                }
                String level = LEVELS[random.nextInt(levelChoices)];
                // '#' only as the last level, as the spec requires.
                if (level.equals("#") && i < depth - 1) {
                    level = "+";
                }
                filter.append(level);
            }
            String candidate = filter.toString();
            if (!candidate.isEmpty()) {
                int share = random.nextInt(6);
                return share < 2 ? "$share/g" + share + "/" + candidate : candidate;
            }
        }
    }

    private static String randomTopic(Random random) {
        while (true) {
            int depth = 1 + random.nextInt(4);
            StringBuilder topic = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) {
                    topic.append('/');
                }
                topic.append(LEVELS[random.nextInt(4)]);
            }
            if (topic.length() > 0) {
                return topic.toString();
            }
        }
    }
}
