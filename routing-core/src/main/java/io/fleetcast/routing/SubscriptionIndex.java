package io.fleetcast.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The subscriptions of one node, indexed for matching a published topic.
 *
 * <p>Wildcard-free filters (almost all of them: every device subscribes to its own {@code d/<id>/c})
 * sit in a hash map and match with one lookup. Filters with {@code +} or {@code #} sit in a trie by
 * level. Results are cached per topic in a bounded {@link #DEFAULT_CACHE_SIZE match cache} that is kept
 * correct on every subscribe and unsubscribe.
 *
 * <p>A share group ({@code $share/<group>/<filter>}) yields one member per message, chosen round
 * robin, so the caller gets exactly one target per share group. A subscriber whose filters overlap
 * is reported once per matching filter; MQTT allows delivering one copy per subscription, and a
 * caller that wants one copy per subscriber deduplicates (taking the highest QoS).
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. One {@link
 * ReentrantReadWriteLock} guards the index: {@link #subscribe} and {@link #unsubscribe} take the write
 * lock, {@link #match} and {@link #forEachMatch} the read lock, so matches run in parallel and never
 * see a half-applied change. A match sees every subscribe and unsubscribe that returned before it
 * began. {@link MatchVisitor}s run under the read lock: they must not block and must not change the
 * index. A lock rather than copy-on-write because a broadcast filter holds up to a million
 * subscribers, and copying that array on each of a million subscribes would be quadratic.
 *
 * @param <S> the subscriber handle; equality decides whether two subscriptions are the same
 *     subscriber, so it must have stable {@code equals}/{@code hashCode} (identity is fine)
 */
public final class SubscriptionIndex<S> {

    /** By default the match cache holds this many topics. */
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    @SuppressWarnings("rawtypes")
    private static final FilterEntry[] NO_MATCHES = new FilterEntry[0];

    private final TopicLimits limits;
    private final int cacheSize;
    private final InterestListener interest;
    private final Function<? super S, ?> affinity;
    private final Lock readLock;
    private final Lock writeLock;

    private final HashMap<String, FilterEntry<S>> exact = new HashMap<>();
    private final TrieNode<S> wildcards = new TrieNode<>();
    private int subscriptions;

    /**
     * Topic to the filters it matched. Holds filter entries, not subscribers, so adding a subscriber
     * to a filter that already exists (the common case: the ten-thousandth viewer of a channel)
     * invalidates nothing. Only a new filter invalidates, and how is chosen by cost:
     *
     * <ul>
     *   <li>a new exact filter matches only the topic equal to it, so that one key is removed;
     *   <li>a new wildcard filter may match any cached topic, and finding which would mean matching
     *       the filter against every key under the write lock, so the whole cache is cleared. New
     *       wildcard filters are rare (one per tenant, model or channel, not per device).
     * </ul>
     *
     * A filter that loses its last subscriber is cut out of the index but may linger in cached
     * results as an empty entry that yields nothing; subscribing to it again creates a new entry and
     * invalidates as above. Not LRU: LRU bookkeeping would turn every read into a write. When full,
     * the cache is cleared, which keeps it bounded at the cost of refilling.
     */
    private final ConcurrentHashMap<String, FilterEntry<S>[]> cache = new ConcurrentHashMap<>();

    /** An index with {@link TopicLimits#DEFAULT} limits and a match cache of {@link #DEFAULT_CACHE_SIZE}. */
    public SubscriptionIndex() {
        this(TopicLimits.DEFAULT, DEFAULT_CACHE_SIZE);
    }

    /**
     * @param limits limits for topic names given to {@link #match} and filters given as strings
     * @param cacheSize topics the match cache holds; 0 turns the cache off
     */
    public SubscriptionIndex(TopicLimits limits, int cacheSize) {
        this(limits, cacheSize, InterestListener.NONE);
    }

    /**
     * @param limits limits for topic names given to {@link #match} and filters given as strings
     * @param cacheSize topics the match cache holds; 0 turns the cache off
     * @param interest told when a filter gains its first or loses its last subscription
     */
    public SubscriptionIndex(TopicLimits limits, int cacheSize, InterestListener interest) {
        this(limits, cacheSize, interest, subscriber -> null);
    }

    /**
     * @param limits limits for topic names given to {@link #match} and filters given as strings
     * @param cacheSize topics the match cache holds; 0 turns the cache off
     * @param interest told when a filter gains its first or loses its last subscription
     * @param affinity read from a subscriber when it subscribes and kept beside the subscription for
     *     {@link MatchVisitor#visit(Object, SubscriptionOptions, Object)}, e.g. the event loop that
     *     serves it; subscribing again refreshes it
     */
    public SubscriptionIndex(
            TopicLimits limits, int cacheSize, InterestListener interest, Function<? super S, ?> affinity) {
        this.interest = Objects.requireNonNull(interest, "interest");
        this.affinity = Objects.requireNonNull(affinity, "affinity");
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cache size must not be negative: " + cacheSize);
        }
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cacheSize = cacheSize;
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.readLock = lock.readLock();
        this.writeLock = lock.writeLock();
    }

    /**
     * Subscribes to a filter as received in SUBSCRIBE, {@code $share/<group>/<filter>} included.
     *
     * @return true when the subscription is new, false when it replaced the options of an existing one
     * @throws InvalidTopicException when the filter is invalid
     */
    public boolean subscribe(String filter, S subscriber, SubscriptionOptions options) {
        return subscribe(TopicFilter.parse(filter, limits), subscriber, options);
    }

    /** As {@link #subscribe(String, Object, SubscriptionOptions)} for a filter parsed already. */
    public boolean subscribe(TopicFilter filter, S subscriber, SubscriptionOptions options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        writeLock.lock();
        try {
            FilterEntry<S> entry = entryOrCreate(filter.filter());
            boolean newGroup = filter.isShared() && entry.group(filter.shareGroup(), false) == null;
            SubscriberList<S> list = filter.isShared() ? entry.group(filter.shareGroup(), true) : entry;
            boolean added = list.put(subscriber, options, affinity.apply(subscriber));
            if (newGroup) {
                interest.sharedAdded(filter.filter(), filter.shareGroup());
            }
            if (added) {
                subscriptions++;
            }
            return added;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes a subscription, as received in UNSUBSCRIBE.
     *
     * @return true when the subscription existed
     * @throws InvalidTopicException when the filter is invalid
     */
    public boolean unsubscribe(String filter, S subscriber) {
        return unsubscribe(TopicFilter.parse(filter, limits), subscriber);
    }

    /** As {@link #unsubscribe(String, Object)} for a filter parsed already. */
    public boolean unsubscribe(TopicFilter filter, S subscriber) {
        writeLock.lock();
        try {
            FilterEntry<S> entry = entry(filter.filter());
            if (entry == null) {
                return false;
            }
            boolean removed;
            if (filter.isShared()) {
                ShareGroup<S> group = entry.group(filter.shareGroup(), false);
                removed = group != null && group.remove(subscriber);
                if (removed && group.size() == 0) {
                    entry.removeGroup(group.name);
                    interest.sharedRemoved(filter.filter(), group.name);
                }
            } else {
                removed = entry.remove(subscriber);
            }
            if (removed) {
                subscriptions--;
                if (entry.isEmpty()) {
                    removeEntry(filter.filter());
                }
            }
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Calls the visitor once for each subscription matching the topic and once for the member picked
     * from each matching share group. Allocates nothing when the topic is cached, so this is the
     * fan-out path; see {@link MatchVisitor} for what the visitor may do.
     *
     * @throws InvalidTopicException when the topic name is invalid
     */
    public void forEachMatch(String topic, MatchVisitor<S> visitor) {
        forEachMatch(topic, visitor, true);
    }

    /**
     * As {@link #forEachMatch(String, MatchVisitor)}; without {@code includeShared} the share groups are
     * left out, for a cluster that picks share group members itself (see {@link #pickShared}).
     */
    public void forEachMatch(String topic, MatchVisitor<S> visitor, boolean includeShared) {
        readLock.lock();
        try {
            for (FilterEntry<S> entry : matchingEntries(topic)) {
                for (int i = 0, n = entry.size(); i < n; i++) {
                    visitor.visit(entry.subscriberAt(i), entry.optionsAt(i), entry.affinityAt(i));
                }
                if (!includeShared) {
                    continue;
                }
                for (ShareGroup<S> group : entry.groups()) {
                    int i = pickTaker(group, visitor);
                    visitor.visit(group.subscriberAt(i), group.optionsAt(i), group.affinityAt(i));
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /** The next member round robin that the visitor says can take the message, else the first picked. */
    private static <S> int pickTaker(ShareGroup<S> group, MatchVisitor<S> visitor) {
        int first = group.pick();
        if (visitor.canTake(group.subscriberAt(first))) {
            return first;
        }
        for (int tries = group.size() - 1; tries > 0; tries--) {
            int i = group.pick();
            if (visitor.canTake(group.subscriberAt(i))) {
                return i;
            }
        }
        return first;
    }

    /**
     * Calls the visitor for one member of one share group on one filter (without the {@code $share/}
     * prefix), picked as {@link #forEachMatch} picks, for a message the cluster gave this node for
     * that group.
     *
     * @return false when the group has no member here (any more)
     */
    public boolean pickShared(String filter, String group, MatchVisitor<S> visitor) {
        readLock.lock();
        try {
            FilterEntry<S> entry = entry(filter);
            ShareGroup<S> members = entry == null ? null : entry.group(group, false);
            if (members == null || members.size() == 0) {
                return false;
            }
            int i = pickTaker(members, visitor);
            visitor.visit(members.subscriberAt(i), members.optionsAt(i), members.affinityAt(i));
            return true;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The subscriptions matching a topic, one per plain subscription plus the member picked from each
     * matching share group. Allocates a record per result; {@link #forEachMatch} does not.
     *
     * @throws InvalidTopicException when the topic name is invalid
     */
    public List<Subscription<S>> match(String topic) {
        readLock.lock();
        try {
            List<Subscription<S>> result = new ArrayList<>();
            for (FilterEntry<S> entry : matchingEntries(topic)) {
                for (int i = 0, n = entry.size(); i < n; i++) {
                    result.add(new Subscription<>(entry.filter, null, entry.subscriberAt(i), entry.optionsAt(i)));
                }
                for (ShareGroup<S> group : entry.groups()) {
                    int i = group.pick();
                    result.add(new Subscription<>(entry.filter, group.name, group.subscriberAt(i), group.optionsAt(i)));
                }
            }
            return result;
        } finally {
            readLock.unlock();
        }
    }

    /** Number of subscriptions, shared ones included. */
    public int size() {
        readLock.lock();
        try {
            return subscriptions;
        } finally {
            readLock.unlock();
        }
    }

    /** Topics in the match cache; for tests. */
    int cachedTopics() {
        return cache.size();
    }

    // Called under the read lock: no writer runs, so what is computed and cached is current.
    @SuppressWarnings("unchecked")
    private FilterEntry<S>[] matchingEntries(String topic) {
        FilterEntry<S>[] entries = cache.get(topic);
        if (entries != null) {
            return entries;
        }
        TopicName.validate(topic, limits);
        List<FilterEntry<S>> found = new ArrayList<>(2);
        FilterEntry<S> exactEntry = exact.get(topic);
        if (exactEntry != null) {
            found.add(exactEntry);
        }
        if (!wildcards.isEmpty()) {
            collect(wildcards, topic.split("/", -1), 0, topic.charAt(0) == '$', found);
        }
        entries = found.isEmpty() ? NO_MATCHES : found.toArray(new FilterEntry[0]);
        if (cacheSize > 0) {
            if (cache.size() >= cacheSize) {
                cache.clear();
            }
            cache.put(topic, entries);
        }
        return entries;
    }

    private static <S> void collect(
            TrieNode<S> node, String[] levels, int depth, boolean dollarTopic, List<FilterEntry<S>> found) {
        // A leading wildcard never matches a $ topic (MQTT 5 §4.7.2): $SYS stays out of '#'.
        boolean wildcardsAllowed = depth > 0 || !dollarTopic;
        if (node.hash != null && node.hash.entry != null && wildcardsAllowed) {
            // '#' matches the remaining levels, none included: "a/#" matches "a".
            found.add(node.hash.entry);
        }
        if (depth == levels.length) {
            if (node.entry != null) {
                found.add(node.entry);
            }
            return;
        }
        if (node.plus != null && wildcardsAllowed) {
            collect(node.plus, levels, depth + 1, dollarTopic, found);
        }
        if (node.children != null) {
            TrieNode<S> child = node.children.get(levels[depth]);
            if (child != null) {
                collect(child, levels, depth + 1, dollarTopic, found);
            }
        }
    }

    private FilterEntry<S> entry(String filter) {
        if (!TopicFilter.hasWildcards(filter)) {
            return exact.get(filter);
        }
        TrieNode<S> node = wildcards;
        for (String level : filter.split("/", -1)) {
            node = node.child(level);
            if (node == null) {
                return null;
            }
        }
        return node.entry;
    }

    private FilterEntry<S> entryOrCreate(String filter) {
        if (!TopicFilter.hasWildcards(filter)) {
            FilterEntry<S> entry = exact.get(filter);
            if (entry == null) {
                entry = new FilterEntry<>(filter);
                exact.put(filter, entry);
                cache.remove(filter);
                interest.added(filter);
            }
            return entry;
        }
        TrieNode<S> node = wildcards;
        for (String level : filter.split("/", -1)) {
            node = node.childOrCreate(level);
        }
        if (node.entry == null) {
            node.entry = new FilterEntry<>(filter);
            cache.clear();
            interest.added(filter);
        }
        return node.entry;
    }

    private void removeEntry(String filter) {
        interest.removed(filter);
        if (!TopicFilter.hasWildcards(filter)) {
            exact.remove(filter);
        } else {
            prune(wildcards, filter.split("/", -1), 0);
        }
    }

    /** Drops the filter's entry and every node left empty on its path; true when {@code node} is empty. */
    private static <S> boolean prune(TrieNode<S> node, String[] levels, int depth) {
        if (depth == levels.length) {
            node.entry = null;
        } else {
            TrieNode<S> child = node.child(levels[depth]);
            if (child != null && prune(child, levels, depth + 1)) {
                node.removeChild(levels[depth]);
            }
        }
        return node.isEmpty();
    }
}
