package io.fleetcast.routing;

/**
 * Size limits for topic names and filters, checked before anything is stored or matched so that one
 * client cannot make the index deep or large.
 *
 * <p>Lengths count UTF-16 chars, the unit of the protocol module's {@code Limits.MAX_TOPIC_LENGTH};
 * the codec already enforces MQTT's 65,535-byte wire limit. By default: 256 chars (as the device
 * protocol) and 32 levels (the deepest protocol topic has three).
 *
 * @param maxLength longest topic name or filter, shared-subscription prefix included
 * @param maxLevels most levels ({@code '/'} count plus one)
 */
public record TopicLimits(int maxLength, int maxLevels) {

    public static final TopicLimits DEFAULT = new TopicLimits(256, 32);

    public TopicLimits {
        if (maxLength < 1 || maxLevels < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxLength + ", " + maxLevels);
        }
    }

    void check(String topic) {
        if (topic.length() > maxLength) {
            throw new InvalidTopicException("longer than " + maxLength + " chars", topic);
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/' && ++levels > maxLevels) {
                throw new InvalidTopicException("more than " + maxLevels + " levels", topic);
            }
        }
    }
}
