package io.fleetcast.platform.error;

import jakarta.ws.rs.core.Response.Status;

/** A failure the API reports to its caller with a status and a stable code. */
public class ApiException extends RuntimeException {

    private final Status status;
    private final String code;

    public ApiException(Status status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(Status.NOT_FOUND, "NOT_FOUND", what + " " + id + " not found");
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(Status.BAD_REQUEST, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(Status.CONFLICT, code, message);
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }
}
