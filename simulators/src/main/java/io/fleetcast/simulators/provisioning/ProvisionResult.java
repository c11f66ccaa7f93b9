package io.fleetcast.simulators.provisioning;

/**
 * A provisioned device and how long it waited for its credential.
 *
 * @param latencyNanos from sending CONNECT to receiving the provisioning response
 */
public record ProvisionResult(ProvisionedDevice device, long latencyNanos) {}
