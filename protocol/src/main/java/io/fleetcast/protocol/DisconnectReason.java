package io.fleetcast.protocol;

/** Why a device went offline, as the registry records it. */
public enum DisconnectReason {
    /** The device sent DISCONNECT. */
    CLIENT_DISCONNECT,
    /** The connection dropped without DISCONNECT. */
    CONNECTION_LOST,
    /** Nothing was heard within 1.5 keep-alive intervals. */
    KEEP_ALIVE_TIMEOUT,
    /** A newer connection with the same client id took the session over. */
    TAKEN_OVER,
    /** The device was disabled or deleted by its manufacturer. */
    DISABLED,
    /** The certificate the device connected with was revoked. */
    CERTIFICATE_REVOKED,
    /** The device broke an access rule (topic outside its prefix). */
    NOT_AUTHORIZED,
    /** The device sent a malformed or oversized packet or an invalid payload. */
    PROTOCOL_ERROR,
    /** The platform node shut down. */
    SERVER_SHUTDOWN,
    /**
     * The platform node that held the session stopped without closing it (a crash or a power cut);
     * another node noticed its missing heartbeat.
     */
    NODE_LOST
}
