package io.fleetcast.platform.ota.rollout;

import io.fleetcast.platform.database.Ids;
import java.util.UUID;

/**
 * The action id a device sees: {@code <rollout id>:<attempt>}. The device id comes from the MQTT
 * session, so it is not repeated; the attempt makes reports of an earlier attempt of a retried action
 * recognisably stale.
 */
public record ActionId(UUID rolloutId, int attempt) {

    @Override
    public String toString() {
        return rolloutId + ":" + attempt;
    }

    /** Null when the text is not an action id of this platform. */
    public static ActionId parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon != 36 || text.length() > 42) {
            return null;
        }
        UUID rollout = Ids.parseOrNull(text.substring(0, colon));
        String attempt = text.substring(colon + 1);
        if (rollout == null || attempt.isEmpty() || !attempt.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int n = Integer.parseInt(attempt);
        return n >= 1 && n <= Short.MAX_VALUE ? new ActionId(rollout, n) : null;
    }
}
