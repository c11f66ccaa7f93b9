package io.fleetcast.otabuilder;

/** Ends a command with a message on stderr and an exit code, without a stack trace. */
final class CommandFailure extends RuntimeException {

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
