package io.fleetcast.routing;

import java.util.Objects;

/**
 * A validated MQTT topic filter, optionally shared ({@code $share/<group>/<filter>}).
 *
 * <p>Rules (MQTT 3.1.1 §4.7, MQTT 5 §4.7 and §4.8.2): {@code +} fills exactly one whole level;
 * {@code #} fills a whole level and must be the last one, and it also matches the parent level
 * ({@code a/#} matches {@code a}); empty levels are legal; a filter that starts with a wildcard never
 * matches a topic that starts with {@code $}. Create instances with {@link #parse}; the constructor
 * checks the structural rules but not {@link TopicLimits}.
 *
 * @param filter the filter without any {@code $share/<group>/} prefix
 * @param shareGroup the share name of a shared subscription, or {@code null}
 */
public record TopicFilter(String filter, String shareGroup) {

    private static final String SHARE_PREFIX = "$share/";

    public TopicFilter {
        Objects.requireNonNull(filter, "filter");
        checkStructure(filter);
        if (shareGroup != null) {
            checkShareGroup(shareGroup, filter);
        }
    }

    /** Parses a filter as received in SUBSCRIBE, with the {@link TopicLimits#DEFAULT} limits. */
    public static TopicFilter parse(String raw) {
        return parse(raw, TopicLimits.DEFAULT);
    }

    /**
     * Parses a filter as received in SUBSCRIBE or UNSUBSCRIBE.
     *
     * @throws InvalidTopicException when the filter or its shared-subscription form is invalid
     */
    public static TopicFilter parse(String raw, TopicLimits limits) {
        Objects.requireNonNull(raw, "filter");
        limits.check(raw);
        if (!raw.startsWith(SHARE_PREFIX)) {
            return new TopicFilter(raw, null);
        }
        int slash = raw.indexOf('/', SHARE_PREFIX.length());
        if (slash < 0) {
            throw new InvalidTopicException("a shared subscription needs $share/<group>/<filter>", raw);
        }
        return new TopicFilter(raw.substring(slash + 1), raw.substring(SHARE_PREFIX.length(), slash));
    }

    public boolean isShared() {
        return shareGroup != null;
    }

    /** True when the filter has a {@code +} or {@code #} level, so it needs the trie, not the hash path. */
    public boolean hasWildcards() {
        return hasWildcards(filter);
    }

    /**
     * Whether this filter matches a topic name, level by level. This is the plain reading of the spec;
     * {@link SubscriptionIndex} must always agree with it.
     */
    public boolean matches(String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] filterLevels = filter.split("/", -1);
        String[] topicLevels = topic.split("/", -1);
        for (int i = 0; i < filterLevels.length; i++) {
            if (filterLevels[i].equals("#")) {
                return true;
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!filterLevels[i].equals("+") && !filterLevels[i].equals(topicLevels[i])) {
                return false;
            }
        }
        return filterLevels.length == topicLevels.length;
    }

    @Override
    public String toString() {
        return isShared() ? SHARE_PREFIX + shareGroup + '/' + filter : filter;
    }

    static boolean hasWildcards(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    private static void checkStructure(String filter) {
        if (filter.isEmpty()) {
            throw new InvalidTopicException("a topic filter must not be empty", filter);
        }
        int last = filter.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = filter.charAt(i);
            boolean wholeLevel = (i == 0 || filter.charAt(i - 1) == '/') && (i == last || filter.charAt(i + 1) == '/');
            if (c == '+' && !wholeLevel) {
                throw new InvalidTopicException("'+' must fill a whole level", filter);
            }
            if (c == '#' && !(wholeLevel && i == last)) {
                throw new InvalidTopicException("'#' must fill the last level", filter);
            }
            if (c == '\u0000') {
                throw new InvalidTopicException("a topic filter must not contain U+0000", filter);
            }
        }
    }

    private static void checkShareGroup(String group, String filter) {
        if (group.isEmpty()) {
            throw new InvalidTopicException("a share name must not be empty", SHARE_PREFIX + group + '/' + filter);
        }
        if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || group.indexOf('/') >= 0) {
            throw new InvalidTopicException(
                    "a share name must not contain '/', '+' or '#'", SHARE_PREFIX + group + '/' + filter);
        }
    }
}
