package io.fleetcast.platform.device;

import io.fleetcast.platform.error.ApiException;
import java.util.List;
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
