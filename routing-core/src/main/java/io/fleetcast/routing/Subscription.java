package io.fleetcast.routing;

/**
 * One matching subscription, as returned by {@link SubscriptionIndex#match}.
 *
 * @param filter the matching filter, without a {@code $share/} prefix
 * @param shareGroup the share name when this is the one member picked for a share group, else
 *     {@code null}
 * @param subscriber the subscriber handle
 * @param options what the subscriber asked for
 */
public record Subscription<S>(String filter, String shareGroup, S subscriber, SubscriptionOptions options) {}
