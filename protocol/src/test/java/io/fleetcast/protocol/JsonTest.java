package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void an_ota_assignment_with_its_expiry_round_trips_as_iso_text() {
        OtaAssignment assignment = new OtaAssignment(
                "a:1",
                false,
                "2.0.0",
                "https://ota.example/x",
                10L,
                true,
                "1.0.0",
                OtaMode.SOFT,
                true,
                new OtaAssignment.MaintenanceWindow("0 2 * * *", 60, "UTC"),
                Instant.parse("2026-11-21T00:00:00Z"));

        byte[] encoded = Json.encode(assignment);

        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"expiresAt\":\"2026-11-21T00:00:00Z\"");
        assertThat(Json.decode(encoded, OtaAssignment.class)).isEqualTo(assignment);
    }
}
