package io.fleetcast.platform.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What kind of device a model is. */
public enum DeviceClass {
    TV("tv"),
    SET_TOP_BOX("set-top-box"),
    SPEAKER("speaker"),
    APPLIANCE("appliance");

    private final String wireName;

    DeviceClass(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static DeviceClass fromWireName(String name) {
        return Arrays.stream(values())
                .filter(value -> value.wireName.equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("deviceClass must be one of tv, set-top-box, speaker, appliance"));
    }
}
