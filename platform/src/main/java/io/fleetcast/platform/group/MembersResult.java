package io.fleetcast.platform.group;

import java.util.List;
import java.util.UUID;

/**
 * @param changed members added or removed
 * @param unknown ids that are not devices of the tenant; nothing was done for them
 */
public record MembersResult(long changed, List<UUID> unknown) {}
