package io.fleetcast.routing;

/**
 * What a subscriber asked for in SUBSCRIBE that routing needs. {@link #of(int, boolean, boolean)}
 * returns shared instances: without a subscription identifier there are only twelve combinations, so
 * a million subscriptions hold a million references to twelve objects rather than a million objects.
 *
 * @param qos maximum QoS, 0 to 2
 * @param noLocal MQTT 5: do not deliver the subscriber's own publications back to it
 * @param retainAsPublished MQTT 5: keep the RETAIN flag as published
 * @param subscriptionId MQTT 5 subscription identifier sent back with each match, 0 for none
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int subscriptionId) {

    /** The largest subscription identifier: a variable byte integer (MQTT 5 §3.8.2.1.2). */
    public static final int MAX_SUBSCRIPTION_ID = 268_435_455;

    private static final SubscriptionOptions[] SHARED = new SubscriptionOptions[12];

    static {
        for (int i = 0; i < SHARED.length; i++) {
            SHARED[i] = new SubscriptionOptions(i >> 2, (i & 2) != 0, (i & 1) != 0, 0);
        }
    }

    public static final SubscriptionOptions QOS_0 = of(0);
    public static final SubscriptionOptions QOS_1 = of(1);
    public static final SubscriptionOptions QOS_2 = of(2);

    public SubscriptionOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        if (subscriptionId < 0 || subscriptionId > MAX_SUBSCRIPTION_ID) {
            throw new IllegalArgumentException("subscription identifier out of range: " + subscriptionId);
        }
    }

    public static SubscriptionOptions of(int qos) {
        return of(qos, false, false);
    }

    public static SubscriptionOptions of(int qos, boolean noLocal, boolean retainAsPublished) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        return SHARED[qos << 2 | (noLocal ? 2 : 0) | (retainAsPublished ? 1 : 0)];
    }

    /** As {@link #of(int, boolean, boolean)}; a new instance only when there is a subscription identifier. */
    public static SubscriptionOptions of(int qos, boolean noLocal, boolean retainAsPublished, int subscriptionId) {
        return subscriptionId == 0
                ? of(qos, noLocal, retainAsPublished)
                : new SubscriptionOptions(qos, noLocal, retainAsPublished, subscriptionId);
    }
}
