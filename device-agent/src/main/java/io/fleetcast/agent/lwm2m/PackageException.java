package io.fleetcast.agent.lwm2m;

/** A failed download or install, with the LwM2M Update Result (/5/0/5) that says why. */
public final class PackageException extends Exception {

    /** The failure values of Update Result, as object 5 defines them. */
    public enum Reason {
        NOT_ENOUGH_STORAGE(2),
        OUT_OF_MEMORY(3),
        CONNECTION_LOST(4),
        INTEGRITY_CHECK_FAILED(5),
        UNSUPPORTED_PACKAGE(6),
        INVALID_URI(7),
        UPDATE_FAILED(8),
        UNSUPPORTED_PROTOCOL(9);

        private final int updateResult;

        Reason(int updateResult) {
            this.updateResult = updateResult;
        }

        public int updateResult() {
            return updateResult;
        }
    }

    private final Reason reason;

    public PackageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PackageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
