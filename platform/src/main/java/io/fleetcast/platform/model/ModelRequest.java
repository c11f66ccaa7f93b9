package io.fleetcast.platform.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Creates or replaces a device model. */
public record ModelRequest(
        @NotNull @Pattern(regexp = NAME, message = "must be 1-64 letters, digits, '.', '_' or '-'") String name,
        @NotNull DeviceClass deviceClass,
        @Size(max = 64) String hardwareRevision,
        @Size(max = 64) List<@NotNull @Pattern(regexp = NAME, message = "must be short tokens") String> capabilities) {

    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
}
