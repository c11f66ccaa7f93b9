package io.fleetcast.platform.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** A failure the API reports to its caller with a status and a stable code. */
public class ApiException extends RuntimeException {

    /** 422: the request is well-formed but refers to or contains something that cannot be accepted. */
    public static final Response.StatusType UNPROCESSABLE = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Status.Family getFamily() {
            return Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

    private final Response.StatusType status;
    private final String code;

    public ApiException(Response.StatusType status, String code, String message) {
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

    public static ApiException unprocessable(String code, String message) {
        return new ApiException(UNPROCESSABLE, code, message);
    }

    public Response.StatusType status() {
        return status;
    }

    public String code() {
        return code;
    }
}
