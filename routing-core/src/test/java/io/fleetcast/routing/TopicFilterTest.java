package io.fleetcast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    @Test
    void multi_level_wildcard_matches_the_parent_and_every_level_below() {
        TopicFilter filter = TopicFilter.parse("sport/tennis/player1/#");

        assertThat(filter.matches("sport/tennis/player1")).isTrue();
        assertThat(filter.matches("sport/tennis/player1/ranking")).isTrue();
        assertThat(filter.matches("sport/tennis/player1/score/wimbledon")).isTrue();
        assertThat(filter.matches("sport/tennis/player2")).isFalse();
        assertThat(filter.matches("sport/tennis")).isFalse();
    }

    @Test
    void plus_matches_exactly_one_level() {
        TopicFilter filter = TopicFilter.parse("sport/+");

        assertThat(filter.matches("sport/")).isTrue();
        assertThat(filter.matches("sport/tennis")).isTrue();
        assertThat(filter.matches("sport")).isFalse();
        assertThat(filter.matches("sport/tennis/player1")).isFalse();
        assertThat(TopicFilter.parse("sport/tennis/+").matches("sport/tennis/player1"))
                .isTrue();
        assertThat(TopicFilter.parse("sport/tennis/+").matches("sport/tennis/player1/ranking"))
                .isFalse();
    }

    @Test
    void plus_matches_empty_levels() {
        assertThat(TopicFilter.parse("+/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.parse("/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.parse("+").matches("/finance")).isFalse();
        assertThat(TopicFilter.parse("a//b").matches("a//b")).isTrue();
        assertThat(TopicFilter.parse("a/+/b").matches("a//b")).isTrue();
    }

    @Test
    void hash_alone_matches_everything_but_dollar_topics() {
        TopicFilter filter = TopicFilter.parse("#");

        assertThat(filter.matches("a")).isTrue();
        assertThat(filter.matches("/")).isTrue();
        assertThat(filter.matches("a/b/c")).isTrue();
        assertThat(filter.matches("$SYS/broker")).isFalse();
    }

    @Test
    void dollar_topics_match_only_filters_that_do_not_start_with_a_wildcard() {
        assertThat(TopicFilter.parse("+/monitor/Clients").matches("$SYS/monitor/Clients"))
                .isFalse();
        assertThat(TopicFilter.parse("$SYS/#").matches("$SYS/monitor/Clients")).isTrue();
        assertThat(TopicFilter.parse("$SYS/monitor/+").matches("$SYS/monitor/Clients"))
                .isTrue();
        assertThat(TopicFilter.parse("+/a").matches("x$/a")).isTrue();
    }

    @Test
    void parses_shared_subscription_into_group_and_filter() {
        TopicFilter filter = TopicFilter.parse("$share/consumers/b/t1/m/+");

        assertThat(filter.isShared()).isTrue();
        assertThat(filter.shareGroup()).isEqualTo("consumers");
        assertThat(filter.filter()).isEqualTo("b/t1/m/+");
        assertThat(filter.hasWildcards()).isTrue();
        assertThat(filter).hasToString("$share/consumers/b/t1/m/+");
    }

    @Test
    void shared_filter_keeps_dollar_rule_and_hash_of_its_own() {
        TopicFilter filter = TopicFilter.parse("$share/g/#");

        assertThat(filter.filter()).isEqualTo("#");
        assertThat(filter.matches("$SYS/x")).isFalse();
        assertThat(filter.matches("a/b")).isTrue();
    }

    @Test
    void dollar_share_without_slash_is_an_ordinary_filter() {
        TopicFilter filter = TopicFilter.parse("$share");

        assertThat(filter.isShared()).isFalse();
        assertThat(filter.matches("$share")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"$share/", "$share/g", "$share//a", "$share/g/", "$share/g+/a", "$share/#/a", "$share/g/a#"})
    void rejects_invalid_shared_subscriptions(String raw) {
        assertThatThrownBy(() -> TopicFilter.parse(raw)).isInstanceOf(InvalidTopicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a+", "+a", "a/b+/c", "#/a", "a/#/b", "a#", "a/b#", "##", "++", "a\u0000b"})
    void rejects_invalid_filters(String raw) {
        assertThatThrownBy(() -> TopicFilter.parse(raw)).isInstanceOf(InvalidTopicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "/", "//", "+/+", "/+", "+/#", "a/+/b/#", "$SYS/#", "a//b"})
    void accepts_valid_filters(String raw) {
        assertThat(TopicFilter.parse(raw).filter()).isEqualTo(raw);
    }

    @Test
    void rejects_filters_past_the_limits_with_a_clear_message() {
        TopicLimits limits = new TopicLimits(10, 3);

        assertThat(TopicFilter.parse("a/b/c", limits).filter()).isEqualTo("a/b/c");
        assertThat(TopicFilter.parse("0123456789", limits).filter()).isEqualTo("0123456789");
        assertThatThrownBy(() -> TopicFilter.parse("a/b/c/d", limits))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("more than 3 levels");
        assertThatThrownBy(() -> TopicFilter.parse("0123456789a", limits))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("longer than 10 chars");
    }

    @Test
    void default_limits_follow_the_device_protocol() {
        assertThat(TopicFilter.parse("a".repeat(256)).filter()).hasSize(256);
        assertThatThrownBy(() -> TopicFilter.parse("a".repeat(257))).isInstanceOf(InvalidTopicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/+", "a/#", "#", "a\u0000"})
    void rejects_invalid_topic_names(String topic) {
        assertThatThrownBy(() -> TopicName.validate(topic, TopicLimits.DEFAULT))
                .isInstanceOf(InvalidTopicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "a//b", "$SYS/x", "d/tv-1/c"})
    void accepts_valid_topic_names(String topic) {
        TopicName.validate(topic, TopicLimits.DEFAULT);
    }

    @Test
    void interns_subscription_options() {
        assertThat(SubscriptionOptions.of(1, true, false)).isSameAs(SubscriptionOptions.of(1, true, false));
        assertThat(SubscriptionOptions.of(2)).isEqualTo(new SubscriptionOptions(2, false, false, 0));
        assertThatThrownBy(() -> SubscriptionOptions.of(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
