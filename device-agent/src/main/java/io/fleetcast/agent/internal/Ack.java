package io.fleetcast.agent.internal;

/**
 * The server's answer to a SUBSCRIBE or PUBLISH (QoS 1), or the lack of one.
 *
 * @param reasonCode the reason code of SUBACK or PUBACK, or {@link #NONE} when none arrived
 * @param reason the server's reason string, or what went wrong locally; may be null
 */
record Ack(int reasonCode, String reason) {

    /** No acknowledgement: the packet was not sent or the connection went down first. */
    static final int NONE = -1;

    static Ack missing(String problem) {
        return new Ack(NONE, problem);
    }

    /** Reason codes below 0x80 mean success (for SUBACK: the granted QoS). */
    boolean isSuccess() {
        return reasonCode >= 0 && reasonCode < ReasonCodes.FIRST_FAILURE;
    }

    String describe() {
        return reasonCode == NONE ? "not acknowledged: " + reason : ReasonCodes.describe(reasonCode, reason);
    }
}
