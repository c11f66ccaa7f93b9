package io.fleetcast.routing.broker;

/**
 * What a {@link ClientPolicy} decides about one PUBLISH from its client.
 *
 * @param route true to route the message to subscribers (and store it when retained)
 * @param reasonCode 0 to accept, else an MQTT 5 PUBACK reason code (0x80 and above) to refuse with
 * @param reason a stable word for logs and metrics when refused
 */
public record PublishVerdict(boolean route, int reasonCode, String reason) {

    /** Accept and route to subscribers. */
    public static final PublishVerdict ROUTE = new PublishVerdict(true, 0, null);

    /** Accept and acknowledge, but the host consumed it: it goes to no subscriber. */
    public static final PublishVerdict CONSUME = new PublishVerdict(false, 0, null);

    public static PublishVerdict refuse(int reasonCode, String reason) {
        if (reasonCode < 0x80) {
            throw new IllegalArgumentException("a refusal needs a reason code of 0x80 or above");
        }
        return new PublishVerdict(false, reasonCode, reason);
    }

    public boolean refused() {
        return reasonCode >= 0x80;
    }
}
