package io.fleetcast.platform.ota.rollout;

import java.time.LocalDateTime;
import java.util.BitSet;

/**
 * A five-field cron expression: minute, hour, day of month, month, day of week (0 or 7 is Sunday).
 * Fields take {@code *}, numbers, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, and comma
 * lists. As in classic cron, when both day fields are restricted a time matches if either does.
 */
public final class CronExpression {

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronExpression(String text, String[] fields) {
        this.text = text;
        minutes = field(fields[0], 0, 59, "minute");
        hours = field(fields[1], 0, 23, "hour");
        daysOfMonth = field(fields[2], 1, 31, "day of month");
        months = field(fields[3], 1, 12, "month");
        BitSet dow = field(fields[4], 0, 7, "day of week");
        if (dow.get(7)) {
            dow.set(0);
        }
        daysOfWeek = dow;
        anyDayOfMonth = fields[2].equals("*");
        anyDayOfWeek = fields[4].equals("*");
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static CronExpression parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a cron expression is required");
        }
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    "a cron expression has five fields (minute hour day-of-month month day-of-week)");
        }
        return new CronExpression(text.trim(), fields);
    }

    /** Whether the minute of this local time matches. */
    public boolean matches(LocalDateTime time) {
        if (!minutes.get(time.getMinute()) || !hours.get(time.getHour()) || !months.get(time.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(time.getDayOfMonth());
        boolean dow = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return text;
    }

    private static BitSet field(String field, int min, int max, String name) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, name);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                int dash = range.indexOf('-');
                from = number(range.substring(0, dash), min, max, name);
                to = number(range.substring(dash + 1), min, max, name);
                if (to < from) {
                    throw new IllegalArgumentException(name + " range " + range + " runs backwards");
                }
            } else {
                from = number(range, min, max, name);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, String name) {
        if (text.isEmpty() || text.length() > 2 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(name + " field: '" + text + "' is not a number");
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
