package io.fleetcast.ota.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical encoding of a {@link Manifest}: the bytes that are signed. See {@code docs/ota-bundle.md}
 * for the rules; in short, JSON with keys sorted, no whitespace, integers only, UTF-8, and a fixed
 * string escaping.
 *
 * <p>Decoding accepts only canonical bytes: it parses, re-encodes and compares. So two
 * implementations can never read different manifests out of one signed byte string (no duplicate
 * keys, no unknown fields silently dropped, no alternative number spellings).
 */
public final class ManifestCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ManifestCodec() {}

    /** The canonical bytes of {@code manifest}. */
    public static byte[] encode(Manifest manifest) {
        // A TreeMap of ASCII keys sorts them by code point, which is the canonical order.
        Map<String, Object> fields = new TreeMap<>();
        fields.put("antiRollback", manifest.antiRollback());
        fields.put("baseVersions", manifest.baseVersions());
        fields.put("createdAt", manifest.createdAt().getEpochSecond());
        if (manifest.deltaAlgorithm() != null) {
            fields.put("deltaAlgorithm", manifest.deltaAlgorithm().id());
        }
        fields.put("expiresAt", manifest.expiresAt().getEpochSecond());
        fields.put("hardwareModels", manifest.hardwareModels());
        fields.put("imageLength", manifest.imageLength());
        fields.put("imageSha256", manifest.imageSha256());
        fields.put("keyId", manifest.keyId());
        fields.put("payloadLength", manifest.payloadLength());
        fields.put("payloadSha256", manifest.payloadSha256());
        fields.put("payloadType", manifest.payloadType().name());
        fields.put("version", manifest.version());
        StringBuilder json = new StringBuilder(512);
        writeObject(json, fields);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The manifest in {@code bytes}.
     *
     * @throws BundleException {@link BundleErrorCode#MALFORMED} when the bytes are not a canonical
     *     manifest
     */
    public static Manifest decode(byte[] bytes) throws BundleException {
        Manifest manifest;
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw malformed("the manifest is not a JSON object");
            }
            String type = text(node, "payloadType");
            PayloadType payloadType;
            try {
                payloadType = PayloadType.valueOf(type);
            } catch (IllegalArgumentException e) {
                throw malformed("unknown payloadType " + type);
            }
            DeltaAlgorithm algorithm = null;
            if (node.has("deltaAlgorithm")) {
                String id = text(node, "deltaAlgorithm");
                algorithm = DeltaAlgorithm.fromId(id);
                if (algorithm == null) {
                    throw malformed("unknown deltaAlgorithm " + id);
                }
            }
            manifest = new Manifest(
                    text(node, "version"),
                    strings(node, "hardwareModels"),
                    strings(node, "baseVersions"),
                    integer(node, "antiRollback"),
                    payloadType,
                    algorithm,
                    text(node, "payloadSha256"),
                    integer(node, "payloadLength"),
                    text(node, "imageSha256"),
                    integer(node, "imageLength"),
                    Instant.ofEpochSecond(integer(node, "createdAt")),
                    Instant.ofEpochSecond(integer(node, "expiresAt")),
                    text(node, "keyId"));
        } catch (JsonProcessingException e) {
            throw malformed("the manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed("the manifest cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw malformed(e.getMessage());
        }
        if (!Arrays.equals(encode(manifest), bytes)) {
            throw malformed("the manifest is not in canonical form (field order, whitespace, unknown fields)");
        }
        return manifest;
    }

    private static String text(JsonNode node, String field) throws BundleException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed(field + " must be a string");
        }
        return value.textValue();
    }

    private static long integer(JsonNode node, String field) throws BundleException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw malformed(field + " must be an integer");
        }
        return value.longValue();
    }

    private static List<String> strings(JsonNode node, String field) throws BundleException {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw malformed(field + " must be an array of strings");
        }
        List<String> result = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw malformed(field + " must be an array of strings");
            }
            result.add(element.textValue());
        }
        return result;
    }

    private static BundleException malformed(String message) {
        return new BundleException(BundleErrorCode.MALFORMED, message);
    }

    private static void writeObject(StringBuilder json, Map<String, Object> fields) {
        json.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            writeString(json, field.getKey());
            json.append(':');
            writeValue(json, field.getValue());
        }
        json.append('}');
    }

    private static void writeValue(StringBuilder json, Object value) {
        if (value instanceof Long number) {
            json.append(number.longValue());
        } else if (value instanceof String text) {
            writeString(json, text);
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                writeString(json, (String) list.get(i));
            }
            json.append(']');
        } else {
            throw new IllegalArgumentException("not a canonical value: " + value);
        }
    }

    /** Escapes only what JSON requires: quote, backslash and U+0000..U+001F (as lowercase \\u00xx). */
    private static void writeString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    /** For tests and tools: the canonical bytes as text. */
    static String encodeToString(Manifest manifest) {
        return new String(encode(manifest), StandardCharsets.UTF_8);
    }
}
