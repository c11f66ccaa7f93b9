package io.fleetcast.platform.device.importing;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one line of an import was rejected.
 *
 * @param line 1-based line number in the body (the CSV header is line 1)
 * @param serial the serial on that line, when it could be read
 * @param code stable code: MALFORMED_ROW, INVALID_SERIAL, UNKNOWN_MODEL, INVALID_REGION, INVALID_TAGS,
 *     DUPLICATE_SERIAL, TOO_MANY_ROWS
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RowError(long line, String serial, String code, String message) {}
