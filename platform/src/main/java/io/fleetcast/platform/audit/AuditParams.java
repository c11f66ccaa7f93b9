package io.fleetcast.platform.audit;

import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.error.ApiException;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of the audit listing, checked here so that every bad value is a 400 with a
 * stable code; JAX-RS would answer an unparsable number or instant with 404.
 */
public class AuditParams {

    static final int MAX_LIMIT = 1000;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_TEXT = 256;

    @QueryParam("action")
    @Parameter(description = "e.g. model.created, device.provisioned")
    String action;

    @QueryParam("actor")
    @Parameter(description = "the caller's principal name, or device:<serial>")
    String actor;

    @QueryParam("targetType")
    @Parameter(description = "model, group, device or claim")
    String targetType;

    @QueryParam("targetId")
    String targetId;

    @QueryParam("from")
    @Parameter(description = "events at or after this ISO-8601 instant", schema = @Schema(format = "date-time"))
    String from;

    @QueryParam("to")
    @Parameter(description = "events before this ISO-8601 instant", schema = @Schema(format = "date-time"))
    String to;

    @QueryParam("before")
    @Parameter(description = "the `next` value of the previous page")
    String before;

    @QueryParam("limit")
    @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "100", minimum = "1", maximum = "1000"))
    String limit;

    /** The filter, or 400 INVALID_FILTER naming the first bad parameter. */
    AuditFilter toFilter() {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw invalidFilter("from must be before to");
        }
        return new AuditFilter(
                action(action),
                text("actor", actor),
                targetType(targetType),
                text("targetId", targetId),
                fromInstant,
                toInstant);
    }

    /** Null for the first page, or 400 INVALID_CURSOR. */
    UUID cursor() {
        if (before == null || before.isEmpty()) {
            return null;
        }
        UUID id = Ids.parseOrNull(before);
        if (id == null) {
            throw ApiException.badRequest("INVALID_CURSOR", "before must be the 'next' value of a previous page");
        }
        return id;
    }

    /** The page size, or 400 INVALID_LIMIT. */
    int limit() {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ApiException.badRequest("INVALID_LIMIT", "limit must be between 1 and " + MAX_LIMIT);
    }

    private static AuditAction action(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return AuditAction.fromWireName(value)
                .orElseThrow(() -> invalidFilter("action must be one of "
                        + Arrays.stream(AuditAction.values())
                                .map(AuditAction::wireName)
                                .collect(Collectors.joining(", "))));
    }

    private static String targetType(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        boolean known = Arrays.stream(AuditAction.values())
                .map(AuditAction::targetType)
                .anyMatch(type -> Objects.equals(type, value));
        if (!known) {
            throw invalidFilter("targetType must be one of model, group, device, claim");
        }
        return value;
    }

    private static String text(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw invalidFilter(name + " must be at most " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalidFilter(name + " must be an ISO-8601 instant, e.g. 2026-11-20T08:00:00Z");
        }
    }

    private static ApiException invalidFilter(String message) {
        return ApiException.badRequest("INVALID_FILTER", message);
    }
}
