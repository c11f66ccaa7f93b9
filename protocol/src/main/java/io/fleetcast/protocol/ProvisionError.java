package io.fleetcast.protocol;

/**
 * Why a provisioning request was refused. Claim problems found at CONNECT are also signalled with an
 * MQTT reason code (see {@code docs/protocol.md}); these codes travel in the response payload.
 */
public enum ProvisionError {
    /** The claim does not exist or its secret is wrong. */
    CLAIM_UNKNOWN,
    /** The claim is past its expiry. */
    CLAIM_EXPIRED,
    /** The claim has been used its maximum number of times. */
    CLAIM_EXHAUSTED,
    /** The claim was revoked by the manufacturer. */
    CLAIM_REVOKED,
    /**
     * A device with this serial already holds a credential: a repeated or replayed request. A leaked
     * batch secret must not let anyone take over an existing device's identity.
     */
    REPLAYED,
    /** The serial is pre-registered for another model than the claim's. */
    MODEL_MISMATCH,
    /** The request payload is not a valid {@link ProvisionRequest}. */
    INVALID_REQUEST,
    /** The platform could not complete the request; the device may retry later. */
    UNAVAILABLE
}
