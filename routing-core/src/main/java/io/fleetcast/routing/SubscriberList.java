package io.fleetcast.routing;

import java.util.HashMap;

/**
 * The subscribers of one filter (or one share group) in parallel arrays, so a subscription costs
 * three array slots (subscriber, options, affinity) rather than an object of its own.
 *
 * <p>Not thread-safe: {@link SubscriptionIndex} reads it under its read lock and changes it under its
 * write lock. Removal swaps the last element into the hole, so order is not kept.
 */
class SubscriberList<S> {

    /** Below this size a linear scan beats a hash lookup and costs no memory (most device filters hold one). */
    private static final int INDEX_THRESHOLD = 8;

    private static final Object[] NO_SUBSCRIBERS = new Object[0];
    private static final SubscriptionOptions[] NO_OPTIONS = new SubscriptionOptions[0];

    private Object[] subscribers = NO_SUBSCRIBERS;
    private SubscriptionOptions[] options = NO_OPTIONS;
    private Object[] affinities = NO_SUBSCRIBERS;
    private int size;
    /** Subscriber to array slot, built only for large lists such as broadcast filters. */
    private HashMap<Object, Integer> slots;

    final int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    final S subscriberAt(int i) {
        return (S) subscribers[i];
    }

    final SubscriptionOptions optionsAt(int i) {
        return options[i];
    }

    final Object affinityAt(int i) {
        return affinities[i];
    }

    /**
     * Adds a subscriber, or replaces its options (as MQTT requires for a repeated SUBSCRIBE) and its
     * affinity.
     */
    final boolean put(S subscriber, SubscriptionOptions subscriptionOptions, Object affinity) {
        int slot = slotOf(subscriber);
        if (slot >= 0) {
            options[slot] = subscriptionOptions;
            affinities[slot] = affinity;
            return false;
        }
        if (size == subscribers.length) {
            resize(size == 0 ? 1 : size + Math.max(1, size >> 1));
        }
        subscribers[size] = subscriber;
        options[size] = subscriptionOptions;
        affinities[size] = affinity;
        if (slots != null) {
            slots.put(subscriber, size);
        }
        size++;
        if (slots == null && size > INDEX_THRESHOLD) {
            slots = new HashMap<>();
            for (int i = 0; i < size; i++) {
                slots.put(subscribers[i], i);
            }
        }
        return true;
    }

    final boolean remove(S subscriber) {
        int slot = slotOf(subscriber);
        if (slot < 0) {
            return false;
        }
        int last = --size;
        if (slots != null) {
            slots.remove(subscriber);
        }
        if (slot != last) {
            subscribers[slot] = subscribers[last];
            options[slot] = options[last];
            affinities[slot] = affinities[last];
            if (slots != null) {
                slots.put(subscribers[slot], slot);
            }
        }
        subscribers[last] = null;
        options[last] = null;
        affinities[last] = null;
        // Give memory back after mass unsubscribes, e.g. when a broadcast ends and viewers leave.
        if (subscribers.length > 16 && size < subscribers.length / 4) {
            resize(subscribers.length / 2);
        }
        if (slots != null && size <= INDEX_THRESHOLD / 2) {
            slots = null;
        }
        return true;
    }

    private int slotOf(S subscriber) {
        if (slots != null) {
            Integer slot = slots.get(subscriber);
            return slot == null ? -1 : slot;
        }
        for (int i = 0; i < size; i++) {
            if (subscribers[i].equals(subscriber)) {
                return i;
            }
        }
        return -1;
    }

    private void resize(int capacity) {
        Object[] newSubscribers = new Object[capacity];
        SubscriptionOptions[] newOptions = new SubscriptionOptions[capacity];
        System.arraycopy(subscribers, 0, newSubscribers, 0, size);
        Object[] newAffinities = new Object[capacity];
        System.arraycopy(options, 0, newOptions, 0, size);
        System.arraycopy(affinities, 0, newAffinities, 0, size);
        subscribers = newSubscribers;
        options = newOptions;
        affinities = newAffinities;
    }
}
