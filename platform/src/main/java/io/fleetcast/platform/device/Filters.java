package io.fleetcast.platform.device;

import io.fleetcast.platform.error.ApiException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks filters that arrive as query parameters, where bean validation does not reach. */
public final class Filters {

    private static final Pattern TOKEN = Pattern.compile(DeviceFilter.TOKEN);

    private Filters() {}

    public static DeviceFilter validated(DeviceFilter filter) {
        check("model", filter.models(), 100);
        check("firmware", filter.firmwareVersions(), 100);
        check("tag", filter.tags(), 32);
        check("region", filter.regions(), 100);
        check("serial", filter.serials(), 1000);
        return filter;
    }

    /**
     * Parses {@code online}; null when absent. JAX-RS would read any other word as false, silently
     * turning a typo into a different search.
     */
    public static Boolean online(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("INVALID_FILTER", "online must be true or false");
        };
    }

    /** Parses {@code status}; null when absent. JAX-RS would answer an unknown name with 404. */
    public static DeviceStatus status(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return DeviceStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "INVALID_FILTER", "status must be one of " + Arrays.toString(DeviceStatus.values()));
        }
    }

    private static void check(String name, List<String> values, int max) {
        if (values.size() > max) {
            throw ApiException.badRequest("INVALID_FILTER", "at most " + max + " values for " + name);
        }
        for (String value : values) {
            if (value == null || !TOKEN.matcher(value).matches()) {
                throw ApiException.badRequest("INVALID_FILTER", name + " values must be short tokens");
            }
        }
    }
}
