package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.platform.error.ApiException;
import io.fleetcast.platform.ota.rollout.RolloutSpec.Exponential;
import io.fleetcast.platform.ota.rollout.RolloutSpec.GroupSpec;
import io.fleetcast.platform.ota.rollout.RolloutSpec.RateSpec;
import io.fleetcast.platform.ota.rollout.RolloutSpec.RetrySpec;
import io.fleetcast.platform.ota.rollout.RolloutSpec.SuccessAction;
import io.fleetcast.platform.ota.rollout.RolloutSpec.WindowSpec;
import io.fleetcast.protocol.OtaMode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a rollout request and fills in its defaults. Each kind of mistake has its own stable error
 * code, so a console or a pipeline can point at the field.
 */
public final class RolloutSpecs {

    public static final int MAX_GROUPS = 100;
    public static final int MAX_RATE_PER_MINUTE = 1_000_000;
    /** A week, as AWS IoT Jobs allows for its in-progress timeout. */
    public static final int MAX_TIMEOUT_MINUTES = 10_080;

    public static final int MAX_RETRIES = 10;

    private static final Pattern VERSION = Pattern.compile(DeviceFilter.TOKEN);

    private RolloutSpecs() {}

    /** The request with its defaults, or an {@link ApiException} naming the first problem. */
    public static RolloutSpec validated(RolloutSpec spec) {
        if (spec == null) {
            throw bad("INVALID_ROLLOUT", "a rollout is required");
        }
        if (spec.name() == null || spec.name().isBlank() || spec.name().length() > 200) {
            throw bad("INVALID_ROLLOUT", "name is required (at most 200 characters)");
        }
        if (spec.version() == null || !VERSION.matcher(spec.version()).matches()) {
            throw bad("INVALID_ROLLOUT", "version is required and must be a short token");
        }
        checkTarget(spec.target());
        List<GroupSpec> groups = groups(spec.groups());
        int successThreshold = percent(spec.successThreshold(), 100, 1, "successThreshold");
        Integer errorThreshold =
                spec.errorThreshold() == null ? null : percent(spec.errorThreshold(), 0, 0, "errorThreshold");
        int errorMinSample = spec.errorMinSample() == null ? 1 : spec.errorMinSample();
        if (errorMinSample < 1) {
            throw bad("INVALID_THRESHOLD", "errorMinSample must be at least 1");
        }
        RateSpec rate = rate(spec.rate());
        Integer timeout = spec.inProgressTimeoutMinutes();
        if (timeout != null && (timeout < 1 || timeout > MAX_TIMEOUT_MINUTES)) {
            throw bad("INVALID_TIMEOUT", "inProgressTimeoutMinutes must be between 1 and " + MAX_TIMEOUT_MINUTES);
        }
        RetrySpec retries = retries(spec.retries());
        window(spec.maintenanceWindow());
        return new RolloutSpec(
                spec.name().strip(),
                spec.version(),
                spec.target(),
                spec.isDynamic(),
                groups,
                successThreshold,
                spec.successAction() == null ? SuccessAction.NEXT_GROUP : spec.successAction(),
                errorThreshold,
                errorMinSample,
                Boolean.TRUE.equals(spec.approvalRequired()),
                spec.startAt(),
                rate,
                timeout,
                retries,
                spec.maintenanceWindow(),
                spec.mode() == null ? OtaMode.SOFT : spec.mode(),
                Boolean.TRUE.equals(spec.consentRequired()));
    }

    /** The maintenance window of a validated spec, or null. */
    public static MaintenanceWindow window(WindowSpec window) {
        if (window == null) {
            return null;
        }
        CronExpression cron;
        try {
            cron = CronExpression.parse(window.cron());
        } catch (IllegalArgumentException e) {
            throw bad("INVALID_CRON", e.getMessage());
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(window.timeZone() == null ? "UTC" : window.timeZone());
        } catch (DateTimeException e) {
            throw bad("INVALID_TIME_ZONE", "timeZone must be an IANA zone id such as Europe/Berlin");
        }
        if (window.durationMinutes() == null
                || window.durationMinutes() < 1
                || window.durationMinutes() > MaintenanceWindow.MAX_DURATION_MINUTES) {
            throw bad(
                    "INVALID_WINDOW",
                    "durationMinutes must be between 1 and " + MaintenanceWindow.MAX_DURATION_MINUTES);
        }
        return new MaintenanceWindow(cron, window.durationMinutes(), zone);
    }

    private static void checkTarget(RolloutSpec.Target target) {
        if (target == null || (target.filter() == null) == (target.groupId() == null)) {
            throw bad("INVALID_TARGET", "target needs exactly one of filter or groupId");
        }
    }

    private static List<GroupSpec> groups(List<GroupSpec> groups) {
        if (groups == null || groups.isEmpty()) {
            return List.of(new GroupSpec(100, null));
        }
        if (groups.size() > MAX_GROUPS) {
            throw bad("INVALID_GROUPS", "at most " + MAX_GROUPS + " groups");
        }
        int percents = 0;
        for (int i = 0; i < groups.size(); i++) {
            GroupSpec group = groups.get(i);
            if (group == null || (group.percent() == null) == (group.count() == null)) {
                throw bad("INVALID_GROUPS", "each group has exactly one of percent or count");
            }
            if (group.percent() != null && (group.percent() < 1 || group.percent() > 100)) {
                throw bad("INVALID_GROUPS", "a group's percent must be between 1 and 100");
            }
            if (group.count() != null && group.count() < 1) {
                throw bad("INVALID_GROUPS", "a group's count must be at least 1");
            }
            // The last group takes whatever is left, so only the groups before it must fit.
            if (i < groups.size() - 1) {
                percents += group.percent() == null ? 0 : group.percent();
            }
        }
        if (percents > 100) {
            throw bad("INVALID_GROUPS", "the percentages of the groups before the last add up to more than 100");
        }
        return List.copyOf(groups);
    }

    private static int percent(Integer value, int defaultValue, int min, String field) {
        int percent = value == null ? defaultValue : value;
        if (percent < min || percent > 100) {
            throw bad("INVALID_THRESHOLD", field + " must be between " + min + " and 100 percent");
        }
        return percent;
    }

    private static RateSpec rate(RateSpec rate) {
        if (rate == null) {
            return null;
        }
        Integer max = rate.maxPerMinute();
        if (max != null && (max < 1 || max > MAX_RATE_PER_MINUTE)) {
            throw bad("INVALID_RATE", "maxPerMinute must be between 1 and " + MAX_RATE_PER_MINUTE);
        }
        Exponential ramp = rate.exponential();
        if (ramp != null) {
            if (ramp.baseRatePerMinute() == null
                    || ramp.baseRatePerMinute() < 1
                    || ramp.baseRatePerMinute() > MAX_RATE_PER_MINUTE) {
                throw bad("INVALID_RATE", "baseRatePerMinute must be between 1 and " + MAX_RATE_PER_MINUTE);
            }
            if (ramp.incrementFactor() == null || ramp.incrementFactor() < 1.1 || ramp.incrementFactor() > 5) {
                throw bad("INVALID_RATE", "incrementFactor must be between 1.1 and 5");
            }
            if ((ramp.notifiedCriterion() == null) == (ramp.succeededCriterion() == null)) {
                throw bad("INVALID_RATE", "the ramp needs exactly one of notifiedCriterion or succeededCriterion");
            }
            Integer criterion = ramp.notifiedCriterion() != null ? ramp.notifiedCriterion() : ramp.succeededCriterion();
            if (criterion < 1) {
                throw bad("INVALID_RATE", "the ramp's criterion must be at least 1 device");
            }
            if (max != null && max < ramp.baseRatePerMinute()) {
                throw bad("INVALID_RATE", "maxPerMinute must not be below baseRatePerMinute");
            }
        }
        if (max == null && ramp == null) {
            return null;
        }
        return rate;
    }

    private static RetrySpec retries(RetrySpec retries) {
        if (retries == null || retries.max() == null || retries.max() == 0) {
            return null;
        }
        if (retries.max() < 0 || retries.max() > MAX_RETRIES) {
            throw bad("INVALID_RETRIES", "retries.max must be between 0 and " + MAX_RETRIES);
        }
        int backoff = retries.backoffSeconds() == null ? 60 : retries.backoffSeconds();
        if (backoff < 1 || backoff > 86_400) {
            throw bad("INVALID_RETRIES", "retries.backoffSeconds must be between 1 and 86400");
        }
        return new RetrySpec(retries.max(), backoff);
    }

    private static ApiException bad(String code, String message) {
        return ApiException.badRequest(code, message);
    }
}
