package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotationTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EXPIRES = ISSUED.plus(Duration.ofDays(300));

    @Test
    void rotation_is_due_when_a_third_of_the_lifetime_is_left() {
        assertThat(Rotation.dueAt(ISSUED, EXPIRES, 1.0 / 3)).isEqualTo(ISSUED.plus(Duration.ofDays(200)));
    }

    @Test
    void waits_until_rotation_is_due() {
        Instant now = ISSUED.plus(Duration.ofDays(150));

        assertThat(Rotation.delay(ISSUED, EXPIRES, 1.0 / 3, now)).isEqualTo(Duration.ofDays(50));
    }

    @Test
    void rotates_at_once_when_overdue_or_expired() {
        assertThat(Rotation.delay(ISSUED, EXPIRES, 1.0 / 3, ISSUED.plus(Duration.ofDays(250))))
                .isZero();
        assertThat(Rotation.delay(ISSUED, EXPIRES, 1.0 / 3, EXPIRES.plus(Duration.ofDays(1))))
                .isZero();
    }

    @Test
    void a_larger_fraction_rotates_earlier() {
        assertThat(Rotation.dueAt(ISSUED, EXPIRES, 0.5)).isEqualTo(ISSUED.plus(Duration.ofDays(150)));
    }
}
