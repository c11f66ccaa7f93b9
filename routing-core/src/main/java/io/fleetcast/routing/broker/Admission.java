package io.fleetcast.routing.broker;

import java.util.Objects;

/**
 * The answer to a CONNECT: refused with an MQTT 5 reason code (mapped to the nearest 3.1.1 return code
 * for older clients), or accepted with the policy that governs the connection.
 *
 * @param reasonCode 0 when accepted, else an MQTT 5 CONNACK reason code (0x80 and above)
 * @param reason a stable word for logs and metrics, e.g. {@code bad_credentials}
 * @param policy the connection's rights; null when refused
 * @param clientId the client id to use when accepted (normally the one sent), else null
 */
public record Admission(int reasonCode, String reason, ClientPolicy policy, String clientId) {

    public static Admission accept(String clientId, ClientPolicy policy) {
        return new Admission(0, "accepted", Objects.requireNonNull(policy, "policy"), clientId);
    }

    public static Admission refuse(int reasonCode, String reason) {
        if (reasonCode < 0x80) {
            throw new IllegalArgumentException("a refusal needs a reason code of 0x80 or above");
        }
        return new Admission(reasonCode, reason, null, null);
    }

    public boolean accepted() {
        return reasonCode == 0;
    }
}
