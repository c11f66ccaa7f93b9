package io.fleetcast.agent.internal.ota;

import io.fleetcast.protocol.OtaAssignment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When installs may start: windows that open at each minute the cron expression matches, in the
 * window's time zone, and stay open for the duration. Local times skipped by a daylight-saving change
 * never match, as with most cron daemons.
 */
public final class MaintenanceSchedule {

    /** Far enough for yearly windows such as {@code 0 3 29 2 *} only in leap years; beyond, none. */
    private static final long SEARCH_MINUTES = 366L * 24 * 60 * 4;

    private final CronExpression cron;
    private final Duration duration;
    private final ZoneId zone;

    public MaintenanceSchedule(CronExpression cron, Duration duration, ZoneId zone) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a maintenance window needs a positive duration");
        }
        this.cron = cron;
        this.duration = duration;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException for a bad cron expression, duration or zone */
    public static MaintenanceSchedule of(OtaAssignment.MaintenanceWindow window) {
        return new MaintenanceSchedule(
                CronExpression.parse(window.cron()),
                Duration.ofMinutes(window.durationMinutes()),
                ZoneId.of(window.timeZone() == null ? "UTC" : window.timeZone()));
    }

    /** True when a window is open at {@code now}. */
    public boolean isOpen(Instant now) {
        ZonedDateTime minute = now.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        long minutes = duration.toMinutes() + (duration.toSecondsPart() > 0 ? 1 : 0);
        for (long back = 0; back < Math.max(1, minutes); back++) {
            ZonedDateTime start = minute.minusMinutes(back);
            if (cron.matches(start.toLocalDateTime())
                    && now.isBefore(start.toInstant().plus(duration))) {
                return true;
            }
        }
        return false;
    }

    /** {@code now} when a window is open, else the start of the next one; empty when none comes. */
    public Optional<Instant> nextOpening(Instant now) {
        if (isOpen(now)) {
            return Optional.of(now);
        }
        ZonedDateTime minute = now.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (long i = 0; i < SEARCH_MINUTES; i++) {
            ZonedDateTime candidate = minute.plusMinutes(i);
            if (cron.matches(candidate.toLocalDateTime())) {
                return Optional.of(candidate.toInstant());
            }
        }
        return Optional.empty();
    }
}
