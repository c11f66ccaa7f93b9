package io.fleetcast.platform.device;

import java.util.UUID;

/**
 * Receives what devices publish on one subtopic of their own prefix ({@code d/<id>/<subtopic>}), for
 * features such as OTA reports. A CDI bean implementing this is found by the MQTT gateway at start.
 * Handlers run on the connection's event loop: they validate, hand the message on (for example to a
 * batch writer) and return at once.
 */
public interface DeviceTopicHandler {

    /** The subtopic this handler owns, e.g. {@code op}. */
    String subtopic();

    /** Handles one message; the answer decides the PUBACK (MQTT 5) or the disconnect (MQTT 3.1.1). */
    Outcome handle(Message message);

    /** One message from a device. */
    record Message(String tenantId, UUID deviceId, byte[] payload) {}

    enum Outcome {
        ACCEPTED,
        /** The payload is not what the subtopic carries (PUBACK 0x99 payload format invalid). */
        INVALID_PAYLOAD
    }
}
