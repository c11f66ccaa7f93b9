package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.OtaAssignment;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceScheduleTest {

    /** Every night 02:00 to 04:00 in Berlin (UTC+1 in December, UTC+2 in summer). */
    private final MaintenanceSchedule nightly =
            MaintenanceSchedule.of(new OtaAssignment.MaintenanceWindow("0 2 * * *", 120, "Europe/Berlin"));

    @Test
    void open_from_the_start_minute_until_the_duration_ends_in_the_windows_zone() {
        assertThat(nightly.isOpen(Instant.parse("2026-12-01T01:00:00Z"))).isTrue(); // 02:00 Berlin
        assertThat(nightly.isOpen(Instant.parse("2026-12-01T02:59:59Z"))).isTrue();
        assertThat(nightly.isOpen(Instant.parse("2026-12-01T03:00:00Z"))).isFalse(); // 04:00 Berlin
        assertThat(nightly.isOpen(Instant.parse("2026-12-01T00:59:00Z"))).isFalse();
        assertThat(nightly.isOpen(Instant.parse("2026-07-01T00:30:00Z"))).isTrue(); // 02:30 CEST
    }

    @Test
    void next_opening_is_now_inside_a_window_and_the_next_start_outside() {
        Instant inside = Instant.parse("2026-12-01T01:30:00Z");
        assertThat(nightly.nextOpening(inside)).contains(inside);
        assertThat(nightly.nextOpening(Instant.parse("2026-12-01T12:00:00Z")))
                .contains(Instant.parse("2026-12-02T01:00:00Z"));
    }

    @Test
    void a_window_that_never_comes_has_no_opening() {
        MaintenanceSchedule never =
                MaintenanceSchedule.of(new OtaAssignment.MaintenanceWindow("0 0 31 2 *", 60, "UTC"));
        assertThat(never.nextOpening(Instant.parse("2026-12-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void a_window_spanning_midnight_stays_open_into_the_next_day() {
        MaintenanceSchedule late =
                MaintenanceSchedule.of(new OtaAssignment.MaintenanceWindow("30 23 * * SAT", 90, "UTC"));
        assertThat(late.isOpen(Instant.parse("2026-12-06T00:30:00Z"))).isTrue(); // Sunday 00:30
        assertThat(late.isOpen(Instant.parse("2026-12-07T00:30:00Z"))).isFalse(); // Monday
    }
}
