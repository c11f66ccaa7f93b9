package io.fleetcast.agent.internal;

import java.util.Map;

/** Names of MQTT 5 reason codes, for logs and listeners: "0x87 not authorized" says more than "135". */
final class ReasonCodes {

    static final int FIRST_FAILURE = 0x80;
    static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    static final int NOT_AUTHORIZED = 0x87;
    static final int SESSION_TAKEN_OVER = 0x8E;
    static final int PAYLOAD_FORMAT_INVALID = 0x99;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x00, "normal disconnection"),
            Map.entry(0x04, "disconnect with will message"),
            Map.entry(0x80, "unspecified error"),
            Map.entry(0x81, "malformed packet"),
            Map.entry(0x82, "protocol error"),
            Map.entry(0x83, "implementation specific error"),
            Map.entry(0x84, "unsupported protocol version"),
            Map.entry(0x85, "client identifier not valid"),
            Map.entry(0x86, "bad user name or password"),
            Map.entry(0x87, "not authorized"),
            Map.entry(0x88, "server unavailable"),
            Map.entry(0x89, "server busy"),
            Map.entry(0x8A, "banned"),
            Map.entry(0x8B, "server shutting down"),
            Map.entry(0x8C, "bad authentication method"),
            Map.entry(0x8D, "keep alive timeout"),
            Map.entry(0x8E, "session taken over"),
            Map.entry(0x8F, "topic filter invalid"),
            Map.entry(0x90, "topic name invalid"),
            Map.entry(0x93, "receive maximum exceeded"),
            Map.entry(0x94, "topic alias invalid"),
            Map.entry(0x95, "packet too large"),
            Map.entry(0x96, "message rate too high"),
            Map.entry(0x97, "quota exceeded"),
            Map.entry(0x98, "administrative action"),
            Map.entry(0x99, "payload format invalid"),
            Map.entry(0x9A, "retain not supported"),
            Map.entry(0x9B, "QoS not supported"),
            Map.entry(0x9C, "use another server"),
            Map.entry(0x9D, "server moved"),
            Map.entry(0x9E, "shared subscriptions not supported"),
            Map.entry(0x9F, "connection rate exceeded"),
            Map.entry(0xA0, "maximum connect time"),
            Map.entry(0xA1, "subscription identifiers not supported"),
            Map.entry(0xA2, "wildcard subscriptions not supported"));

    private ReasonCodes() {}

    /** {@code not authorized} */
    static String label(int code) {
        return NAMES.getOrDefault(code, "unknown reason");
    }

    /** {@code 0x87 not authorized} */
    static String name(int code) {
        return String.format("0x%02X %s", code, label(code));
    }

    /** {@code 0x87 not authorized (CLAIM_EXPIRED)} when the server sent a reason string. */
    static String describe(int code, String reasonString) {
        return reasonString == null || reasonString.isEmpty() ? name(code) : name(code) + " (" + reasonString + ")";
    }
}
