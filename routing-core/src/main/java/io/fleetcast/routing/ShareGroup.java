package io.fleetcast.routing;

import java.util.concurrent.atomic.AtomicInteger;

/** The members of one share group on one filter; each message goes to one of them, round robin. */
final class ShareGroup<S> extends SubscriberList<S> {

    final String name;
    /** Atomic because readers pick concurrently under the shared read lock. */
    private final AtomicInteger next = new AtomicInteger();

    ShareGroup(String name) {
        this.name = name;
    }

    /** The slot of the member that gets the next message; the list must not be empty. */
    int pick() {
        return Math.floorMod(next.getAndIncrement(), size());
    }
}
