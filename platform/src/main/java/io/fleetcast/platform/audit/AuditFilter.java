package io.fleetcast.platform.audit;

import java.time.Instant;

/**
 * Which events a listing selects; every given criterion must hold, absent ones (null) select all.
 *
 * @param from events at or after this instant
 * @param to events before this instant
 */
public record AuditFilter(
        AuditAction action, String actor, String targetType, String targetId, Instant from, Instant to) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);
}
