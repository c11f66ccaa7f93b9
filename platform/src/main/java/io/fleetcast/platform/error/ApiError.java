package io.fleetcast.platform.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one error shape of the REST API.
 *
 * @param code stable, machine-readable code, e.g. {@code UNKNOWN_MODEL}
 * @param message human-readable explanation
 * @param details per-field or per-row problems, when there are several
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(String code, String message, List<String> details) {

    public ApiError(String code, String message) {
        this(code, message, List.of());
    }
}
