package io.fleetcast.platform.device.importing;

import io.fleetcast.platform.error.ApiException;
import jakarta.ws.rs.core.Response.Status;

/** The body formats that bulk pre-registration accepts. */
public enum ImportFormat {
    CSV_FORMAT,
    NDJSON_FORMAT;

    public static final String CSV = "text/csv";
    public static final String NDJSON = "application/x-ndjson";

    public static ImportFormat of(String contentType) {
        String type =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        return switch (type) {
            case CSV -> CSV_FORMAT;
            case NDJSON -> NDJSON_FORMAT;
            default -> throw new ApiException(
                    Status.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send text/csv or application/x-ndjson");
        };
    }
}
