package io.fleetcast.platform.device;

import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.error.ApiException;
import java.util.UUID;

/** The {@code after} parameter of keyset-paged listings: the {@code next} value of the previous page. */
public final class Cursor {

    private Cursor() {}

    /** Null for the first page. */
    public static UUID parse(String after) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        UUID id = Ids.parseOrNull(after);
        if (id == null) {
            throw ApiException.badRequest("INVALID_CURSOR", "after must be the 'next' value of a previous page");
        }
        return id;
    }
}
