package io.fleetcast.simulators.fanout.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The benchmark message: exactly {@value #SIZE} bytes, the same for every broker. An 8-byte sequence
 * number, the 8-byte {@link System#nanoTime()} at which the message was due to be sent, a 4-byte step
 * id, then zero padding.
 *
 * <p>The timestamp is the due time, not the time the write happened: a publisher that falls behind
 * its schedule then shows up as latency instead of hiding it (coordinated omission). Publisher and
 * subscribers share one JVM, so the clock is the same on both ends.
 */
public final class FanoutPayload {

    public static final int SIZE = 100;

    static final int SEQUENCE_OFFSET = 0;
    static final int DUE_NANOS_OFFSET = 8;
    static final int STEP_OFFSET = 16;
    private static final int HEADER = 20;

    private FanoutPayload() {}

    /** A new buffer the caller owns; it goes to the channel with the PUBLISH that carries it. */
    public static ByteBuf encode(ByteBufAllocator alloc, long sequence, long dueNanos, int step) {
        ByteBuf buf = alloc.buffer(SIZE, SIZE);
        buf.writeLong(sequence).writeLong(dueNanos).writeInt(step).writeZero(SIZE - HEADER);
        return buf;
    }

    /** Whether the buffer can be one of ours; other payloads are counted, not parsed. */
    public static boolean isPayload(ByteBuf buf) {
        return buf.readableBytes() == SIZE;
    }

    public static long sequence(ByteBuf buf) {
        return buf.getLong(buf.readerIndex() + SEQUENCE_OFFSET);
    }

    public static long dueNanos(ByteBuf buf) {
        return buf.getLong(buf.readerIndex() + DUE_NANOS_OFFSET);
    }

    public static int step(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + STEP_OFFSET);
    }
}
