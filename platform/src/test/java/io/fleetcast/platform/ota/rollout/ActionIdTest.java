package io.fleetcast.platform.ota.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActionIdTest {

    @Test
    void round_trips() {
        ActionId id = new ActionId(UUID.randomUUID(), 3);
        assertThat(ActionId.parse(id.toString())).isEqualTo(id);
    }

    @Test
    void anything_else_is_unknown() {
        assertThat(ActionId.parse(null)).isNull();
        assertThat(ActionId.parse("abc")).isNull();
        assertThat(ActionId.parse(UUID.randomUUID() + ":0")).isNull();
        assertThat(ActionId.parse(UUID.randomUUID() + ":x")).isNull();
        assertThat(ActionId.parse(UUID.randomUUID().toString())).isNull();
    }
}
