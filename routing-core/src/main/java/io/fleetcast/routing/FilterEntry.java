package io.fleetcast.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Everything subscribed to one filter: plain subscribers in the list itself, share groups beside it. */
final class FilterEntry<S> extends SubscriberList<S> {

    final String filter;
    /** Null until the first shared subscription: almost every filter has none. */
    private Map<String, ShareGroup<S>> groups;

    FilterEntry(String filter) {
        this.filter = filter;
    }

    ShareGroup<S> group(String name, boolean create) {
        if (groups == null) {
            if (!create) {
                return null;
            }
            groups = new HashMap<>(4);
        }
        return create ? groups.computeIfAbsent(name, ShareGroup::new) : groups.get(name);
    }

    void removeGroup(String name) {
        groups.remove(name);
        if (groups.isEmpty()) {
            groups = null;
        }
    }

    Iterable<ShareGroup<S>> groups() {
        return groups == null ? List.of() : groups.values();
    }

    boolean isEmpty() {
        return size() == 0 && groups == null;
    }
}
