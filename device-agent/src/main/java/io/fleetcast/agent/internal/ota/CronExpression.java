package io.fleetcast.agent.internal.ota;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.Locale;

/**
 * A five-field cron expression: minute, hour, day of month, month, day of week. Each field takes
 * {@code *}, numbers, ranges {@code a-b}, lists {@code a,b} and steps {@code * /n} or {@code a-b/n}.
 * Months and days of week also take names ({@code JAN}, {@code MON}); day of week 0 and 7 are Sunday.
 * As in Vixie cron, when both day fields are restricted a day matches if either does.
 */
public final class CronExpression {

    private static final String[] MONTHS = {
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
    };
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronExpression(String text, String[] fields) {
        this.text = text;
        this.minutes = field(fields[0], 0, 59, null, 0);
        this.hours = field(fields[1], 0, 23, null, 0);
        this.daysOfMonth = field(fields[2], 1, 31, null, 0);
        this.months = field(fields[3], 1, 12, MONTHS, 1);
        BitSet days = field(fields[4], 0, 7, DAYS, 0);
        if (days.get(7)) {
            days.set(0);
        }
        this.daysOfWeek = days;
        this.dayOfMonthRestricted = !fields[2].startsWith("*");
        this.dayOfWeekRestricted = !fields[4].startsWith("*");
    }

    /** @throws IllegalArgumentException naming the bad field */
    public static CronExpression parse(String text) {
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron expression has 5 fields, not " + fields.length + ": " + text);
        }
        return new CronExpression(text, fields);
    }

    /** True when the minute of {@code time} (seconds ignored) matches. */
    public boolean matches(LocalDateTime time) {
        if (!minutes.get(time.getMinute()) || !hours.get(time.getHour()) || !months.get(time.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(time.getDayOfMonth());
        boolean dow = daysOfWeek.get(
                time.getDayOfWeek() == DayOfWeek.SUNDAY
                        ? 0
                        : time.getDayOfWeek().getValue());
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    @Override
    public String toString() {
        return text;
    }

    private static BitSet field(String field, int min, int max, String[] names, int nameBase) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",")) {
            int step = 1;
            int slash = part.indexOf('/');
            String range = part;
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, null, 0, field);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                int dash = range.indexOf('-');
                from = number(range.substring(0, dash), min, max, names, nameBase, field);
                to = number(range.substring(dash + 1), min, max, names, nameBase, field);
                if (to < from) {
                    throw new IllegalArgumentException("range " + range + " runs backwards in '" + field + "'");
                }
            } else {
                from = number(range, min, max, names, nameBase, field);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, String[] names, int nameBase, String field) {
        if (names != null) {
            String upper = text.toUpperCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(upper)) {
                    return i + nameBase;
                }
            }
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + "-" + max + " in '" + field + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a value in '" + field + "'");
        }
    }
}
