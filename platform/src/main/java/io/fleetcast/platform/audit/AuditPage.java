package io.fleetcast.platform.audit;

import java.util.List;

/**
 * One page of the audit log, newest first.
 *
 * @param next pass as {@code before} to get the next (older) page; absent on the last page
 */
public record AuditPage(List<AuditEvent> items, String next) {}
