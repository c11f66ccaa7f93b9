package io.fleetcast.routing;

/** Validation of topic names, the topics messages are published to (MQTT 5 §4.7.3). */
public final class TopicName {

    private TopicName() {}

    /**
     * Checks a topic name: at least one char, no wildcards, no U+0000, within the limits. Empty
     * levels ({@code a//b}, {@code /a}) are legal.
     *
     * @throws InvalidTopicException when the name breaks a rule
     */
    public static void validate(String topic, TopicLimits limits) {
        if (topic.isEmpty()) {
            throw new InvalidTopicException("a topic name must not be empty", topic);
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                throw new InvalidTopicException("a topic name must not contain wildcards", topic);
            }
            if (c == '\u0000') {
                throw new InvalidTopicException("a topic name must not contain U+0000", topic);
            }
        }
        limits.check(topic);
    }
}
