package io.fleetcast.platform.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the compact summary of a change: {@code {"before": {...}, "after": {...}}} with only the
 * fields that changed, or counts for changes of many things. Callers pass only fields that may be
 * shown to every reader of the log: never secrets, tokens or credential hashes.
 */
public final class AuditSummary {

    /** Most ids listed in the summary of a bulk change; the count covers the rest. */
    public static final int MAX_IDS = 100;

    private AuditSummary() {}

    /** A new thing: its fields that have a value. */
    public static JsonObject created(Map<String, ?> after) {
        return new JsonObject().put("after", withValues(after));
    }

    /** A removed thing: its fields that had a value. */
    public static JsonObject deleted(Map<String, ?> before) {
        return new JsonObject().put("before", withValues(before));
    }

    /**
     * The fields whose values differ, before and after; a field that lost its value shows as null.
     * Empty when nothing changed: such a call changes nothing and is not recorded.
     */
    public static JsonObject changed(Map<String, ?> before, Map<String, ?> after) {
        JsonObject was = new JsonObject();
        JsonObject is = new JsonObject();
        for (Map.Entry<String, ?> field : after.entrySet()) {
            Object old = before.get(field.getKey());
            if (!Objects.equals(old, field.getValue())) {
                was.put(field.getKey(), old);
                is.put(field.getKey(), field.getValue());
            }
        }
        return was.isEmpty()
                ? new JsonObject()
                : new JsonObject().put("before", was).put("after", is);
    }

    /** A change of many things: how many, and the first {@link #MAX_IDS} of their ids. */
    public static JsonObject many(String idsField, Collection<?> ids) {
        JsonArray listed = new JsonArray();
        ids.stream().limit(MAX_IDS).map(String::valueOf).forEach(listed::add);
        return new JsonObject().put("count", ids.size()).put(idsField, listed);
    }

    private static JsonObject withValues(Map<String, ?> fields) {
        Map<String, Object> present = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (value != null) {
                present.put(name, value);
            }
        });
        return new JsonObject(present);
    }
}
