package io.fleetcast.platform.audit;

import io.vertx.core.json.JsonObject;

/**
 * One change to record.
 *
 * @param actor who made it: the caller's principal name, or {@code device:<serial>}
 * @param targetId the id of the changed thing, or null for an action without a single target
 * @param summary what changed, built with {@link AuditSummary}; never secrets
 */
public record AuditEntry(String tenantId, String actor, AuditAction action, String targetId, JsonObject summary) {}
