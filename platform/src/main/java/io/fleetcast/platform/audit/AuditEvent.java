package io.fleetcast.platform.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One recorded change, as the API shows it.
 *
 * @param at when the change's transaction started
 * @param summary changed fields before and after, or counts; see {@link AuditSummary}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
        UUID id,
        Instant at,
        String actor,
        String action,
        String targetType,
        String targetId,
        Map<String, Object> summary) {}
