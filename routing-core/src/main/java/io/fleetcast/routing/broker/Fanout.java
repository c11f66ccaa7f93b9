package io.fleetcast.routing.broker;

import io.fleetcast.routing.MatchVisitor;
import io.fleetcast.routing.SubscriptionOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;

/**
 * One message's way to its local subscribers.
 *
 * <p>The publisher's thread matches the topic once and sorts the matching sessions by the event loop
 * that owns them. Each loop then gets <em>one</em> task for all of its subscribers, not one per
 * subscriber. On the loop the message is encoded once per wire variant (MQTT 3.1.1 or 5, RETAIN set
 * or not): QoS 0 subscribers get a duplicate of the same buffer; QoS 1 and 2 subscribers get a small
 * header of their own in front of a duplicate of one shared payload buffer. Each touched connection is
 * flushed once by the loop's {@link Flusher}, after this task and any other already queued. Nothing
 * here waits for a subscriber: a full socket drops QoS 0
 * and queues QoS 1 and 2 (see {@link Session#deliver}).
 */
final class Fanout implements MatchVisitor<Session> {

    private final Broker broker;
    private final Message message;
    private LoopBatch[] batches = new LoopBatch[2];
    private int batchCount;

    Fanout(Broker broker, Message message) {
        this.broker = broker;
        this.message = message;
    }

    @Override
    public void visit(Session session, SubscriptionOptions options) {
        visit(session, options, null);
    }

    /**
     * Groups by the loop the index kept beside the subscription, so the session itself is not read
     * here: for a broadcast that would be one cache miss per subscriber, paid again when the loop
     * delivers. A stale loop (the session moved since it subscribed) is caught by the batch, which
     * redirects.
     */
    @Override
    public void visit(Session session, SubscriptionOptions options, Object affinity) {
        if (options.noLocal() && session == message.origin()) {
            return;
        }
        EventExecutor executor = affinity instanceof EventExecutor loop ? loop : session.executor;
        batchFor(executor).add(session, options);
    }

    /**
     * A share group member can take the message while it is connected. Read from the publisher's
     * thread without synchronisation: a stale answer only sends one message to a member that just
     * connected or disconnected, which is still a correct delivery.
     */
    @Override
    public boolean canTake(Session member) {
        return member.link != null;
    }

    /** Hands each loop its batch; the caller's own loop runs its batch last, inline. */
    void dispatch() {
        LoopBatch local = null;
        for (int i = 0; i < batchCount; i++) {
            LoopBatch batch = batches[i];
            if (batch.executor.inEventLoop()) {
                local = batch;
            } else {
                batch.executor.execute(batch);
            }
        }
        if (local != null) {
            local.run();
        }
    }

    private LoopBatch batchFor(EventExecutor executor) {
        for (int i = 0; i < batchCount; i++) {
            if (batches[i].executor == executor) {
                return batches[i];
            }
        }
        if (batchCount == batches.length) {
            batches = Arrays.copyOf(batches, batchCount * 2);
        }
        LoopBatch batch = new LoopBatch(broker, message, executor);
        batches[batchCount++] = batch;
        return batch;
    }

    /** The subscribers of one message on one event loop, and the buffers they share. */
    static final class LoopBatch implements Runnable {
        /** Subscribers in the largest chunk. */
        private static final int MAX_CHUNK = 1024;

        private final Broker broker;
        private final Message message;
        final EventExecutor executor;
        /**
         * Session and options pairs, side by side, in chunks: the first is small (most messages go to
         * one subscriber), each next one twice as big up to {@link #MAX_CHUNK}. Growing allocates a
         * chunk and never copies; doubling one array to a million entries cost about an eighth of a
         * fan-out to a million subscribers.
         */
        private Object[][] chunks = new Object[4][];

        private int chunkCount;
        /** Filled slots of the last chunk. */
        private int filled;

        private PublishEncoder encoder;
        /** QoS 0 frames by variant: index bit 1 = MQTT 5, bit 0 = RETAIN. */
        private final ByteBuf[] frames = new ByteBuf[4];
        /** What the duplicates are taken from, by variant; see {@link #untracked}. */
        private final ByteBuf[] sources = new ByteBuf[4];

        private ByteBuf payloadSource;

        private ByteBuf payload;
        private long now;
        private long expirySeconds;

        LoopBatch(Broker broker, Message message, EventExecutor executor) {
            this.broker = broker;
            this.message = message;
            this.executor = executor;
        }

        void add(Session session, SubscriptionOptions subscription) {
            Object[] chunk = chunkCount == 0 ? null : chunks[chunkCount - 1];
            if (chunk == null || filled == chunk.length) {
                chunk = newChunk(chunk == null ? 2 * 16 : Math.min(chunk.length * 2, 2 * MAX_CHUNK));
            }
            chunk[filled++] = session;
            chunk[filled++] = subscription;
        }

        private Object[] newChunk(int slots) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
            }
            Object[] chunk = new Object[slots];
            chunks[chunkCount++] = chunk;
            filled = 0;
            return chunk;
        }

        @Override
        public void run() {
            now = broker.clock.millis();
            if (message.isExpired(now)) {
                broker.stats.droppedExpired.increment();
                return;
            }
            expirySeconds = message.remainingExpirySeconds(now);
            Flusher flusher = broker.flusher(executor);
            long delivered = 0;
            try {
                for (int c = 0; c < chunkCount; c++) {
                    Object[] chunk = chunks[c];
                    int end = c == chunkCount - 1 ? filled : chunk.length;
                    for (int i = 0; i < end; i += 2) {
                        if (deliver((Session) chunk[i], (SubscriptionOptions) chunk[i + 1], flusher)) {
                            delivered++;
                        }
                    }
                }
            } finally {
                broker.stats.delivered.add(delivered);
                release();
            }
        }

        private boolean deliver(Session session, SubscriptionOptions subscription, Flusher flusher) {
            if (session.executor != executor) {
                broker.redirect(session, message, subscription);
                return false;
            }
            if (session.ended) {
                return false;
            }
            int qos = Math.min(message.qos(), subscription.qos());
            boolean retain = subscription.retainAsPublished() && message.retain();
            Link link = session.link;
            if (!session.deliver(message, qos, retain, subscription.subscriptionId(), this)) {
                return false;
            }
            flusher.add(link);
            return true;
        }

        /** The clock reading of this batch: one per message and loop, not one per subscriber. */
        long now() {
            return now;
        }

        PublishEncoder encoder() {
            if (encoder == null) {
                encoder = new PublishEncoder(message);
            }
            return encoder;
        }

        /** A duplicate of the shared QoS 0 frame of this variant; the caller owns the duplicate. */
        ByteBuf frame(boolean retain, boolean v5, ByteBufAllocator alloc) {
            int variant = (v5 ? 2 : 0) | (retain ? 1 : 0);
            ByteBuf frame = frames[variant];
            if (frame == null) {
                frame = encoder().frame(alloc, retain, v5, v5 ? expirySeconds : -1);
                frames[variant] = frame;
                sources[variant] = untracked(frame);
            }
            return sources[variant].retain().duplicate(); // a plain duplicate: no recycler round trip
        }

        /** A duplicate of the payload in one direct buffer shared by every QoS 1 and 2 delivery. */
        ByteBuf payload() {
            if (payload == null) {
                byte[] bytes = message.payload();
                payload = broker.alloc.directBuffer(bytes.length).writeBytes(bytes);
                payloadSource = untracked(payload);
            }
            return payloadSource.retain().duplicate();
        }

        private void release() {
            for (int i = 0; i < frames.length; i++) {
                if (frames[i] != null) {
                    frames[i].release();
                    frames[i] = null;
                    sources[i] = null;
                }
            }
            if (payload != null) {
                payload.release();
                payload = null;
                payloadSource = null;
            }
        }

        /**
         * The buffer to take per-subscriber duplicates from. Netty samples buffers for leak detection;
         * when it picks a shared frame, every duplicate of the tracked wrapper records a stack trace,
         * which turned a fan-out to a million subscribers from milliseconds into seconds. So outside
         * paranoid mode the duplicates come from the buffer under the wrapper: they share its reference
         * count, and the wrapper itself, released at the end of the batch, is still tracked. In paranoid
         * mode (the tests) every duplicate is tracked, so a leaked delivery is found.
         */
        private static ByteBuf untracked(ByteBuf buffer) {
            if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID) {
                return buffer;
            }
            ByteBuf inner = buffer.unwrap(); // null for a plain pooled buffer, the pooled one for a wrapper
            return inner != null ? inner : buffer;
        }
    }
}
