package io.fleetcast.ota.bundle;

/** What the payload of a bundle holds. */
public enum PayloadType {
    /** The complete image; payload hash and image hash are the same. */
    FULL,
    /** A patch that turns the one base version's image into the new image. */
    DELTA
}
