package io.fleetcast.protocol;

import java.util.Objects;

/** A mini-app installed on a device, as the device reports it. */
public record InstalledApp(String id, String version) {

    public InstalledApp {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
    }
}
