package io.fleetcast.platform.group;

import io.fleetcast.platform.device.DeviceFilter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Creates or changes a group. A dynamic group needs a filter; a static group has none. The kind of a
 * group cannot change.
 */
public record GroupRequest(
        @NotNull
                @Pattern(
                        regexp = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}",
                        message = "must be 1-64 letters, digits, spaces, '.', '_' or '-'")
                String name,
        @NotNull GroupKind kind,
        @Valid DeviceFilter filter) {

    @AssertTrue(message = "a DYNAMIC group needs a filter and a STATIC group takes none")
    boolean isFilterMatchingKind() {
        return kind == null || (kind == GroupKind.DYNAMIC) == (filter != null);
    }
}
