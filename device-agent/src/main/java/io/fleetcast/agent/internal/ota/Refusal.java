package io.fleetcast.agent.internal.ota;

import io.fleetcast.protocol.OtaState;

/**
 * Why an update ends before the device runs it: the terminal state and the stable error code that the
 * MQTT report carries (the LwM2M installer turns the code into an Update Result).
 */
public final class Refusal extends Exception {

    private final OtaState state;
    private final String code;
    private final int httpStatus;

    public Refusal(OtaState state, String code, String message) {
        this(state, code, message, 0);
    }

    /** @param httpStatus the status a bundle server refused the download with, 0 when it did not */
    public Refusal(OtaState state, String code, String message, int httpStatus) {
        super(message);
        this.state = state;
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public OtaState state() {
        return state;
    }

    /** A {@link io.fleetcast.ota.bundle.BundleErrorCode} name or one of the updater's own codes; null for a cancel. */
    public String code() {
        return code;
    }

    /** The 4xx a bundle server refused the download with, 0 when no server refused it. */
    public int httpStatus() {
        return httpStatus;
    }
}
