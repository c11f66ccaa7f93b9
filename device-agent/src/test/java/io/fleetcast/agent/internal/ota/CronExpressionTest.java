package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {

    /** 2026-12-01 is a Tuesday. */
    private static LocalDateTime at(String text) {
        return LocalDateTime.parse(text);
    }

    @Test
    void matches_fixed_times_lists_ranges_and_steps() {
        CronExpression nightly = CronExpression.parse("30 2 * * *");
        assertThat(nightly.matches(at("2026-12-01T02:30"))).isTrue();
        assertThat(nightly.matches(at("2026-12-01T02:31"))).isFalse();

        CronExpression steps = CronExpression.parse("*/15 1-3,22 * * *");
        assertThat(steps.matches(at("2026-12-01T01:45"))).isTrue();
        assertThat(steps.matches(at("2026-12-01T22:00"))).isTrue();
        assertThat(steps.matches(at("2026-12-01T04:00"))).isFalse();
        assertThat(steps.matches(at("2026-12-01T02:10"))).isFalse();

        CronExpression rangeStep = CronExpression.parse("0-30/10 0 * * *");
        assertThat(rangeStep.matches(at("2026-12-01T00:20"))).isTrue();
        assertThat(rangeStep.matches(at("2026-12-01T00:40"))).isFalse();
    }

    @Test
    void knows_month_and_day_names_and_sunday_as_0_or_7() {
        assertThat(CronExpression.parse("0 3 * DEC TUE").matches(at("2026-12-01T03:00")))
                .isTrue();
        assertThat(CronExpression.parse("0 3 * jan-nov *").matches(at("2026-12-01T03:00")))
                .isFalse();
        assertThat(CronExpression.parse("0 3 * * 0").matches(at("2026-12-06T03:00")))
                .isTrue();
        assertThat(CronExpression.parse("0 3 * * 7").matches(at("2026-12-06T03:00")))
                .isTrue();
        assertThat(CronExpression.parse("0 3 * * MON-FRI").matches(at("2026-12-06T03:00")))
                .isFalse();
    }

    @Test
    void day_of_month_or_day_of_week_when_both_are_restricted() {
        CronExpression either = CronExpression.parse("0 4 15 * MON");
        assertThat(either.matches(at("2026-12-15T04:00"))).isTrue(); // the 15th, a Tuesday
        assertThat(either.matches(at("2026-12-07T04:00"))).isTrue(); // a Monday
        assertThat(either.matches(at("2026-12-08T04:00"))).isFalse();
        assertThat(CronExpression.parse("0 4 15 * *").matches(at("2026-12-07T04:00")))
                .isFalse();
    }

    @Test
    void rejects_malformed_expressions_naming_the_field() {
        assertThatThrownBy(() -> CronExpression.parse("* * * *")).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronExpression.parse("60 * * * *")).hasMessageContaining("outside 0-59");
        assertThatThrownBy(() -> CronExpression.parse("* * * * FUNDAY")).hasMessageContaining("FUNDAY");
        assertThatThrownBy(() -> CronExpression.parse("5-1 * * * *")).hasMessageContaining("backwards");
    }
}
