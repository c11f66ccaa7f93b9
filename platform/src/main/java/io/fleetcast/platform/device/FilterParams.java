package io.fleetcast.platform.device;

import io.fleetcast.platform.error.ApiException;
import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The filter query parameters of device search and count, checked here because bean validation does
 * not reach query parameters.
 */
public class FilterParams {

    private static final Pattern TOKEN = Pattern.compile(DeviceFilter.TOKEN);

    @QueryParam("model")
    List<String> models;

    @QueryParam("firmware")
    List<String> firmwareVersions;

    @QueryParam("tag")
    List<String> tags;

    @QueryParam("region")
    List<String> regions;

    @QueryParam("online")
    @Parameter(schema = @Schema(type = SchemaType.BOOLEAN))
    String online;

    @QueryParam("status")
    @Parameter(schema = @Schema(implementation = DeviceStatus.class))
    String status;

    @QueryParam("serial")
    List<String> serials;

    /** The filter, or 400 INVALID_FILTER naming the first bad parameter. */
    DeviceFilter toFilter() {
        return validated(
                new DeviceFilter(models, firmwareVersions, tags, regions, online(online), status(status), serials));
    }

    private static DeviceFilter validated(DeviceFilter filter) {
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
    private static Boolean online(String value) {
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
    private static DeviceStatus status(String value) {
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
