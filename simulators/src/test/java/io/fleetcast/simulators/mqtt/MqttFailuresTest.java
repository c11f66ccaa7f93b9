package io.fleetcast.simulators.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MqttFailuresTest {

    @Test
    void described_failures_keep_their_reason_through_future_wrappers() {
        Throwable wrapped = new CompletionException(new DescribedFailure("response: REPLAYED"));

        assertThat(MqttFailures.describe(wrapped)).isEqualTo("response: REPLAYED");
    }

    @Test
    void timeouts_group_as_timeout() {
        assertThat(MqttFailures.describe(new CompletionException(new TimeoutException())))
                .isEqualTo("timeout");
    }

    @Test
    void unknown_failures_group_by_type_not_message() {
        assertThat(MqttFailures.describe(new IOException("port 40123 gone"))).isEqualTo("IOException");
    }
}
