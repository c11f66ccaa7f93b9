package io.fleetcast.platform.ota.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronExpressionTest {

    @Test
    void matches_fixed_minutes_and_hours() {
        CronExpression cron = CronExpression.parse("30 2 * * *");
        assertThat(cron.matches(LocalDateTime.of(2026, 11, 21, 2, 30))).isTrue();
        assertThat(cron.matches(LocalDateTime.of(2026, 11, 21, 2, 31))).isFalse();
        assertThat(cron.matches(LocalDateTime.of(2026, 11, 21, 3, 30))).isFalse();
    }

    @Test
    void takes_lists_ranges_and_steps() {
        CronExpression cron = CronExpression.parse("*/15 1-3,22 * * *");
        assertThat(cron.matches(LocalDateTime.of(2026, 1, 1, 2, 45))).isTrue();
        assertThat(cron.matches(LocalDateTime.of(2026, 1, 1, 22, 0))).isTrue();
        assertThat(cron.matches(LocalDateTime.of(2026, 1, 1, 2, 44))).isFalse();
        assertThat(cron.matches(LocalDateTime.of(2026, 1, 1, 4, 0))).isFalse();
        assertThat(CronExpression.parse("10-20/5 * * * *").matches(LocalDateTime.of(2026, 1, 1, 0, 15)))
                .isTrue();
    }

    @Test
    void sunday_is_zero_or_seven() {
        LocalDateTime sunday = LocalDateTime.of(2026, 11, 22, 3, 0);
        assertThat(CronExpression.parse("0 3 * * 0").matches(sunday)).isTrue();
        assertThat(CronExpression.parse("0 3 * * 7").matches(sunday)).isTrue();
        assertThat(CronExpression.parse("0 3 * * 1-5").matches(sunday)).isFalse();
    }

    @Test
    void either_day_field_matches_when_both_are_restricted() {
        CronExpression cron = CronExpression.parse("0 0 1 * 1");
        assertThat(cron.matches(LocalDateTime.of(2026, 12, 1, 0, 0))).isTrue(); // the 1st, a Tuesday
        assertThat(cron.matches(LocalDateTime.of(2026, 11, 23, 0, 0))).isTrue(); // a Monday
        assertThat(cron.matches(LocalDateTime.of(2026, 11, 24, 0, 0))).isFalse();
    }

    @Test
    void refuses_malformed_expressions_naming_the_field() {
        assertThatThrownBy(() -> CronExpression.parse("0 3 * *")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> CronExpression.parse("60 3 * * *")).hasMessageContaining("minute");
        assertThatThrownBy(() -> CronExpression.parse("0 24 * * *")).hasMessageContaining("hour");
        assertThatThrownBy(() -> CronExpression.parse("0 3 * 13 *")).hasMessageContaining("month");
        assertThatThrownBy(() -> CronExpression.parse("0 3 x * *")).hasMessageContaining("day of month");
        assertThatThrownBy(() -> CronExpression.parse("0 5-3 * * *")).hasMessageContaining("backwards");
    }

    @Test
    void a_window_is_open_for_its_duration_in_its_time_zone() {
        MaintenanceWindow window =
                new MaintenanceWindow(CronExpression.parse("0 2 * * *"), 120, ZoneId.of("Europe/Berlin"));
        // 02:00 in Berlin in November is 01:00 UTC.
        assertThat(window.isOpen(Instant.parse("2026-11-21T00:59:00Z"))).isFalse();
        assertThat(window.isOpen(Instant.parse("2026-11-21T01:00:00Z"))).isTrue();
        assertThat(window.isOpen(Instant.parse("2026-11-21T02:59:59Z"))).isTrue();
        assertThat(window.isOpen(Instant.parse("2026-11-21T03:00:00Z"))).isFalse();
    }

    @Test
    void a_window_may_run_past_midnight() {
        MaintenanceWindow window = new MaintenanceWindow(CronExpression.parse("0 23 * * *"), 180, ZoneId.of("UTC"));
        assertThat(window.isOpen(Instant.parse("2026-11-22T01:30:00Z"))).isTrue();
        assertThat(window.isOpen(Instant.parse("2026-11-22T02:00:00Z"))).isFalse();
    }
}
