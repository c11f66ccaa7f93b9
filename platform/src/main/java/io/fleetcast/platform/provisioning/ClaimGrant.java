package io.fleetcast.platform.provisioning;

import java.util.UUID;

/** A claim token that was accepted at CONNECT: what the connection may provision. */
public record ClaimGrant(UUID claimId, String tenantId) {}
