package io.fleetcast.platform.ota.rollout;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Recurring windows in which devices may be notified: each starts at a minute the cron expression
 * matches (in the window's time zone) and lasts {@code durationMinutes}.
 */
public record MaintenanceWindow(CronExpression cron, int durationMinutes, ZoneId zone) {

    /** Longest window: a day. Longer would mean "always", which is no window. */
    public static final int MAX_DURATION_MINUTES = 1440;

    public MaintenanceWindow {
        if (durationMinutes < 1 || durationMinutes > MAX_DURATION_MINUTES) {
            throw new IllegalArgumentException("a window lasts between 1 and " + MAX_DURATION_MINUTES + " minutes");
        }
    }

    /** Whether a window is open at {@code now}: a window started within the last duration. */
    public boolean isOpen(Instant now) {
        LocalDateTime minute = LocalDateTime.ofInstant(now, zone).truncatedTo(ChronoUnit.MINUTES);
        for (int back = 0; back < durationMinutes; back++) {
            if (cron.matches(minute.minusMinutes(back))) {
                return true;
            }
        }
        return false;
    }
}
