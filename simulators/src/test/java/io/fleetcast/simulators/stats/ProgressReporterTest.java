package io.fleetcast.simulators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void segment_shows_done_of_total_rate_and_failures() {
        assertThat(ProgressReporter.segment("connect", 6144, 10_000, 2051.4, 3))
                .isEqualTo("connect 6144/10000 2051/s failed 3");
    }
}
