package io.fleetcast.routing;

/**
 * A topic name or filter that breaks the MQTT rules or the configured {@link TopicLimits}. The
 * gateway turns it into a protocol reason code (SUBACK 0x8F "Topic Filter invalid", PUBACK/DISCONNECT
 * 0x90 "Topic Name invalid"); the message is for logs only.
 */
public final class InvalidTopicException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message, String topic) {
        super(message + ": '" + topic + "'");
    }
}
