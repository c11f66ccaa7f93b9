package io.fleetcast.simulators.api;

/** The platform's REST API answered something a benchmark cannot go on with. */
public final class PlatformApiException extends RuntimeException {

    public PlatformApiException(String message) {
        super(message);
    }

    public PlatformApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
