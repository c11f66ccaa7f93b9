package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reported twin a device publishes on {@code d/<id>/s}: on connect and whenever it changes. Each
 * report is complete; the platform keeps the latest.
 *
 * @param firmwareVersion version of the running OS image, e.g. {@code 4.2.0}
 * @param activeSlot the slot the device booted from, e.g. {@code a} or {@code b}
 * @param apps installed mini-apps
 * @param capabilities capabilities of the device, e.g. {@code 4k}, {@code voice}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportedState(
        String firmwareVersion, String activeSlot, List<InstalledApp> apps, List<String> capabilities) {

    public static final int MAX_APPS = 256;
    public static final int MAX_CAPABILITIES = 64;

    /** Versions, slots, app ids and capabilities: short tokens, no spaces or control characters. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:~-]{0,63}");

    public ReportedState {
        apps = apps == null ? List.of() : List.copyOf(apps);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** The problems that make this report invalid; empty when it is valid. */
    @JsonIgnore
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (firmwareVersion == null || !TOKEN.matcher(firmwareVersion).matches()) {
            problems.add("firmwareVersion must be a version token of at most 64 characters");
        }
        if (activeSlot != null && !TOKEN.matcher(activeSlot).matches()) {
            problems.add("activeSlot must be a short token");
        }
        if (apps.size() > MAX_APPS) {
            problems.add("at most " + MAX_APPS + " apps");
        }
        for (InstalledApp app : apps) {
            if (app == null
                    || !TOKEN.matcher(app.id()).matches()
                    || !TOKEN.matcher(app.version()).matches()) {
                problems.add("apps must have an id and a version token");
                break;
            }
        }
        if (capabilities.size() > MAX_CAPABILITIES) {
            problems.add("at most " + MAX_CAPABILITIES + " capabilities");
        }
        for (String capability : capabilities) {
            if (capability == null || !TOKEN.matcher(capability).matches()) {
                problems.add("capabilities must be short tokens");
                break;
            }
        }
        return problems;
    }
}
