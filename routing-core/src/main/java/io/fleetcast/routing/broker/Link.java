package io.fleetcast.routing.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

/**
 * The network side of a session: what a {@link Session} needs to deliver to its client. Implemented by
 * {@link ClientConnection} over a Netty channel, and by in-memory sinks in benchmarks. Every method is
 * called on {@link #executor()}.
 */
public interface Link {

    /** The event loop that owns the connection; the session runs there while attached. */
    EventExecutor executor();

    ByteBufAllocator alloc();

    boolean isV5();

    /** The client's Maximum Packet Size; larger deliveries are dropped. */
    int maxPacketSize();

    /** The client's Receive Maximum: QoS 1 and 2 deliveries it accepts unacknowledged. */
    int receiveMaximum();

    /** False while the socket's outbound buffer is above its high watermark. */
    boolean isWritable();

    /** Writes without flushing; takes ownership of the buffer. */
    void write(ByteBuf packet);

    /** Writes a control packet (PUBREL) without flushing. */
    void writeControl(Object mqttMessage);

    /** Flushes what was written. */
    void flush();

    /**
     * Marks the link for a flush at the end of the current batch; true when it was not marked yet, so
     * the caller adds it to the batch's list of links to flush.
     */
    boolean markForFlush();

    /** A QoS 0 message was dropped because the link was not writable; the link decides when to cut off. */
    void droppedForSlowness();
}
