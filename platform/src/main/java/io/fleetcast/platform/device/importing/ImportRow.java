package io.fleetcast.platform.device.importing;

import java.util.List;

/** One device to pre-register, as read from a CSV or NDJSON line. */
public record ImportRow(String serial, String model, String region, List<String> tags) {

    public ImportRow {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
