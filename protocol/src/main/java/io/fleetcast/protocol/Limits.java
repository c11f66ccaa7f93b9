package io.fleetcast.protocol;

/** Limits both sides of the protocol honour. */
public final class Limits {

    /** Largest PUBLISH payload a device may send or receive, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Longest topic name or filter, in characters. */
    public static final int MAX_TOPIC_LENGTH = 256;

    private Limits() {}
}
