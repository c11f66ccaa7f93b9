package io.fleetcast.simulators.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.protocol.ProvisionRequest;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SerialsTest {

    @Test
    void serials_are_prefix_and_zero_padded_index() {
        Serials serials = new Serials("run1", 3);

        assertThat(serials.serial(0)).isEqualTo("run1-000000");
        assertThat(serials.serial(42)).isEqualTo("run1-000042");
    }

    @Test
    void serials_of_a_run_are_unique_and_valid_for_the_protocol() {
        Serials serials = new Serials(Serials.randomPrefix(new Random(1)), 10_000);

        Set<String> seen = new HashSet<>();
        IntStream.range(0, 10_000).mapToObj(serials::serial).forEach(seen::add);

        assertThat(seen).hasSize(10_000);
        assertThat(seen)
                .allMatch(serial -> ProvisionRequest.SERIAL.matcher(serial).matches());
    }

    @Test
    void indexes_beyond_six_digits_stay_unique() {
        Serials serials = new Serials("p", 2_000_000);

        assertThat(serials.serial(1_000_000)).isEqualTo("p-1000000").isNotEqualTo(serials.serial(100_000));
    }

    @Test
    void random_prefixes_differ_between_runs() {
        Random random = new Random(7);

        String first = Serials.randomPrefix(random);
        String second = Serials.randomPrefix(random);

        assertThat(first).matches("sim-[a-z0-9]{8}");
        assertThat(second).matches("sim-[a-z0-9]{8}").isNotEqualTo(first);
    }

    @Test
    void rejects_prefix_with_characters_serials_may_not_have() {
        assertThatThrownBy(() -> new Serials("bad prefix", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad prefix-000009");
    }

    @Test
    void rejects_prefix_that_makes_the_last_serial_too_long() {
        String prefix = "p".repeat(57);

        assertThat(new Serials(prefix, 10).serial(9)).hasSize(64);
        assertThatThrownBy(() -> new Serials(prefix, 10_000_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
