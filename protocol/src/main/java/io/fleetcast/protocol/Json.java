package io.fleetcast.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON encoding of protocol payloads. Unknown fields are ignored so that newer agents can talk to
 * older platforms and the other way round.
 */
public final class Json {

    /** Instants are ISO-8601 text ({@code 2026-11-21T00:00:00Z}), readable in any language. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {}

    public static byte[] encode(Object payload) {
        try {
            return MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot encode " + payload.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decodes a payload.
     *
     * @throws MalformedPayloadException when the bytes are not JSON of the expected shape
     */
    public static <T> T decode(byte[] payload, Class<T> type) {
        try {
            T value = MAPPER.readValue(payload, type);
            if (value == null) {
                throw new MalformedPayloadException("empty " + type.getSimpleName());
            }
            return value;
        } catch (IOException e) {
            throw new MalformedPayloadException("not a valid " + type.getSimpleName() + ": " + firstLine(e));
        }
    }

    public static String toString(Object payload) {
        return new String(encode(payload), StandardCharsets.UTF_8);
    }

    private static String firstLine(IOException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A payload that is not JSON of the expected shape. */
    public static final class MalformedPayloadException extends RuntimeException {
        public MalformedPayloadException(String message) {
            super(message);
        }
    }
}
