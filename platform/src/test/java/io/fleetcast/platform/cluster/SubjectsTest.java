package io.fleetcast.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectsTest {

    private final Subjects subjects = new Subjects("fc");

    @Test
    void maps_levels_to_tokens_and_wildcards_to_nats_wildcards() {
        assertThat(subjects.topic("t/acme/tv/status")).isEqualTo("fc.m.t.acme.tv.status");
        assertThat(subjects.filter("t/+/tv/#")).containsExactly("fc.m.t.*.tv", "fc.m.t.*.tv.>");
        assertThat(subjects.filter("#")).containsExactly("fc.m.>");
        assertThat(subjects.filter("+")).containsExactly("fc.m.*");
        assertThat(subjects.filter("a/b")).containsExactly("fc.m.a.b");
    }

    @Test
    void escapes_what_nats_treats_specially() {
        assertThat(subjects.topic("a.b/*/>/x y/~")).isEqualTo("fc.m.a~2Eb.~2A.~3E.x~20y.~7E");
        assertThat(subjects.topic("/a//b/")).isEqualTo("fc.m.~.a.~.b.~");
    }

    @Test
    void keeps_dollar_topics_out_of_reach_of_leading_wildcards() {
        assertThat(subjects.topic("$SYS/load")).isEqualTo("fc.d.$SYS.load");
        assertThat(subjects.filter("$SYS/#")).containsExactly("fc.d.$SYS", "fc.d.$SYS.>");
        assertThat(subjects.filter("#")).allMatch(subject -> subject.startsWith("fc.m."));
        assertThat(subjects.filter("+/load")).containsExactly("fc.m.*.load");
    }

    @Test
    void turns_subjects_back_into_topics() {
        for (String topic : new String[] {"a", "a/b", "/a//b/", "a.b/*/>/x y/~7E", "$SYS/x", "ü/€", "a/~"}) {
            assertThat(subjects.topicOf(subjects.topic(topic))).isEqualTo(topic);
            assertThat(subjects.topicOf(subjects.retainedTopic(topic))).isEqualTo(topic);
        }
        assertThat(subjects.topicOf("fc.s.abc")).isNull();
    }

    @Test
    void retained_and_session_subjects_have_their_own_roots() {
        assertThat(subjects.retainedTopic("a/b")).isEqualTo("fc.r.m.a.b");
        assertThat(subjects.retainedTopic("$x/b")).isEqualTo("fc.r.d.$x.b");
        assertThat(subjects.session("dev.1 *"))
                .startsWith("fc.s.")
                .doesNotContain(" ", "*")
                .hasSize(5 + 10);
    }
}
