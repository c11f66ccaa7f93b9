package io.fleetcast.platform.gateway.mqtt;

/**
 * The MQTT 5 reason codes the gateway answers with (MQTT 5 §2.4). The broker engine maps them to the
 * nearest MQTT 3.1.1 return code for older clients.
 */
final class ReasonCodes {

    static final int UNSPECIFIED_ERROR = 0x80;
    static final int MALFORMED_PACKET = 0x81;
    static final int PROTOCOL_ERROR = 0x82;
    static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    static final int BAD_USERNAME_OR_PASSWORD = 0x86;
    static final int NOT_AUTHORIZED = 0x87;
    static final int SERVER_UNAVAILABLE = 0x88;
    static final int SERVER_SHUTTING_DOWN = 0x8B;
    static final int SESSION_TAKEN_OVER = 0x8E;
    static final int QUOTA_EXCEEDED = 0x97;
    static final int PAYLOAD_FORMAT_INVALID = 0x99;
    static final int CONNECTION_RATE_EXCEEDED = 0x9F;
    static final int MAXIMUM_CONNECT_TIME = 0xA0;

    private ReasonCodes() {}
}
