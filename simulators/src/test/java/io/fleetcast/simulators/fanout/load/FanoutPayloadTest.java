package io.fleetcast.simulators.fanout.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class FanoutPayloadTest {

    @Test
    void payload_is_exactly_100_bytes_and_carries_sequence_due_time_and_step() {
        ByteBuf buf = FanoutPayload.encode(UnpooledByteBufAllocator.DEFAULT, 42, 123_456_789L, 7);
        try {
            assertThat(buf.readableBytes()).isEqualTo(100);
            assertThat(FanoutPayload.isPayload(buf)).isTrue();
            assertThat(FanoutPayload.sequence(buf)).isEqualTo(42);
            assertThat(FanoutPayload.dueNanos(buf)).isEqualTo(123_456_789L);
            assertThat(FanoutPayload.step(buf)).isEqualTo(7);
        } finally {
            buf.release();
        }
    }
}
