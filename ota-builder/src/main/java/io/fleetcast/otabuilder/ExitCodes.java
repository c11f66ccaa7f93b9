package io.fleetcast.otabuilder;

/** Exit codes of every command; scripts and CI branch on them. */
final class ExitCodes {

    static final int OK = 0;
    /** The bundle was refused: bad signature, hash mismatch, malformed (the code is printed). */
    static final int REFUSED = 1;
    /** Wrong or missing options (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** A file could not be read or written. */
    static final int IO = 3;
    /** The platform or the token endpoint refused the upload, or could not be reached. */
    static final int PUBLISH_FAILED = 4;

    private ExitCodes() {}
}
