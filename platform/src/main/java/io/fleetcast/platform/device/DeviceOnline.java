package io.fleetcast.platform.device;

import java.util.UUID;

/**
 * A CDI event fired (asynchronously) when a device's session is accepted on this node, so features can
 * send what is pending for it.
 */
public record DeviceOnline(String tenantId, UUID deviceId) {}
