package io.fleetcast.simulators.mqtt;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns MQTT client failures into short reasons that group well: the MQTT reason code when the
 * server sent one, else the kind of failure. Never addresses, ids or counters, which would give every
 * failure its own group.
 */
public final class MqttFailures {

    private MqttFailures() {}

    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof DescribedFailure described) {
            return described.reason();
        }
        if (cause instanceof Mqtt5ConnAckException e) {
            return "CONNACK " + e.getMqttMessage().getReasonCode();
        }
        if (cause instanceof Mqtt5SubAckException e) {
            return "SUBACK " + e.getMqttMessage().getReasonCodes();
        }
        if (cause instanceof Mqtt5PubAckException e) {
            return "PUBACK " + e.getMqttMessage().getReasonCode();
        }
        if (cause instanceof Mqtt5DisconnectException e) {
            return "DISCONNECT from server " + e.getMqttMessage().getReasonCode();
        }
        if (cause instanceof TimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectionFailedException) {
            return "connection failed: " + rootCause(cause).getClass().getSimpleName();
        }
        if (cause instanceof ConnectionClosedException) {
            return "connection closed: " + cause.getMessage();
        }
        if (cause instanceof MqttClientStateException) {
            return "client state: " + cause.getMessage();
        }
        return cause.getClass().getSimpleName();
    }

    /** The failure without the wrappers CompletableFuture adds around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
