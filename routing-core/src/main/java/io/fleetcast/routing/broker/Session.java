package io.fleetcast.routing.broker;

import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.TopicFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of one client id: its subscriptions, the QoS 1 and 2 deliveries in flight and queued, and
 * the QoS 2 packets received but not yet released. Outlives its connection when the client asked for
 * a session expiry.
 *
 * <p><b>Threading.</b> A session is confined to {@link #executor}: the event loop of its connection,
 * or of its last connection while offline. Every method below runs there. A session moves to another
 * loop only through {@link Broker} when a connection on another loop takes it over; deliveries that
 * were already headed for the old loop see {@link #executor} changed and follow it.
 *
 * <p>Collections are created on first use: an idle device with one subscription carries a few small
 * objects, not empty queues and maps.
 */
public final class Session {

    final String clientId;
    final Broker broker;
    volatile EventExecutor executor;

    /** The attached connection, or null while offline. */
    Link link;

    /**
     * The connection the session was last given to by {@link Broker#open}. Two connections with one
     * client id may be opening at once; only the later one may attach, the earlier one finds itself
     * superseded here. Written under the broker's session lock, read on the connection's loop.
     */
    volatile ClientConnection claimant;

    /** Session Expiry Interval in seconds; 0 ends the session with its connection. */
    long expirySeconds;

    /** Raw filter as subscribed (with any $share prefix) to its parsed form and options. */
    final Map<String, Subscribed> subscriptions = new HashMap<>(4);

    private IntObjectHashMap<Outgoing> inflight;
    /** In packet id order of sending, for resending after a reconnect in the original order. */
    private ArrayDeque<Outgoing> inflightOrder;

    /** How many in flight have {@link Outgoing#resendPending} set. */
    private int deferredResends;

    private ArrayDeque<Outgoing> queue;
    private Set<Integer> awaitingRelease;
    private int nextPacketId = 1;

    ScheduledFuture<?> expiryTimer;
    ScheduledFuture<?> willTimer;
    Message pendingWill;
    /** The policy of the connection that set the will: it decides the will when it goes out. */
    ClientPolicy willPolicy;

    boolean ended;

    record Subscribed(TopicFilter filter, SubscriptionOptions options) {}

    Session(String clientId, Broker broker, EventExecutor executor) {
        this.clientId = clientId;
        this.broker = broker;
        this.executor = executor;
    }

    public String clientId() {
        return clientId;
    }

    boolean isPersistent() {
        return expirySeconds > 0;
    }

    // ---- outbound -------------------------------------------------------------------------------

    /**
     * Delivers one message to this session: written now, queued behind the inflight window, kept
     * while offline (QoS 1 and 2 of a persistent session), or dropped and counted.
     *
     * @param shared the fan-out's shared buffers for this loop, or null to encode for this delivery
     * @return true when something was written to the link (it then needs a flush)
     */
    boolean deliver(Message message, int qos, boolean retain, int subscriptionId, Fanout.LoopBatch shared) {
        BrokerStats stats = broker.stats;
        long now = shared != null ? shared.now() : broker.clock.millis();
        if (message.isExpired(now)) {
            stats.droppedExpired.increment();
            return false;
        }
        if (link == null) {
            if (qos > 0 && isPersistent()) {
                enqueue(new Outgoing(message, qos, retain, subscriptionId));
            }
            return false;
        }
        if (qos == 0) {
            if (!link.isWritable()) {
                stats.droppedSlow.increment();
                link.droppedForSlowness();
                return false;
            }
            long expiry = message.remainingExpirySeconds(now);
            boolean v5 = link.isV5();
            // Subscription identifiers are MQTT 5 only: a session subscribed over MQTT 5 may come back
            // over 3.1.1, and its deliveries must then carry no properties at all.
            int id = v5 ? subscriptionId : 0;
            PublishEncoder encoder = shared != null ? shared.encoder() : new PublishEncoder(message);
            if (v5 && encoder.packetLength(0, true, id, expiry) > link.maxPacketSize()) {
                stats.droppedTooLarge.increment();
                return false;
            }
            ByteBuf packet = shared != null && id == 0
                    ? shared.frame(retain, v5, link.alloc())
                    : id == 0
                            ? encoder.frame(link.alloc(), retain, v5, v5 ? expiry : -1)
                            : withPayload(
                                    encoder.header(link.alloc(), 0, false, retain, 0, true, id, expiry),
                                    message,
                                    shared);
            link.write(packet);
            if (shared == null) { // a fan-out counts its deliveries once, at its end
                stats.delivered.increment();
            }
            return true;
        }
        Outgoing outgoing = new Outgoing(message, qos, retain, subscriptionId);
        if ((queue != null && !queue.isEmpty()) || inflightCount() >= window()) {
            enqueue(outgoing);
            return false;
        }
        return send(outgoing, false, shared);
    }

    private boolean send(Outgoing outgoing, boolean dup, Fanout.LoopBatch shared) {
        Message message = outgoing.message;
        long expiry = message.remainingExpirySeconds(shared != null ? shared.now() : broker.clock.millis());
        PublishEncoder encoder = shared != null ? shared.encoder() : new PublishEncoder(message);
        if (link.isV5()
                && encoder.packetLength(outgoing.qos, true, outgoing.subscriptionId, expiry) > link.maxPacketSize()) {
            broker.stats.droppedTooLarge.increment();
            if (outgoing.packetId != 0) {
                // Sent before to a connection that took larger packets: this one never will, so the
                // delivery must leave the window or it holds a slot for good.
                inflight.remove(outgoing.packetId);
                inflightOrder.remove(outgoing);
            }
            return false;
        }
        if (outgoing.packetId == 0) {
            outgoing.packetId = nextPacketId();
            inflight().put(outgoing.packetId, outgoing);
            inflightOrder.add(outgoing);
        }
        ByteBuf header = encoder.header(
                link.alloc(),
                outgoing.qos,
                dup,
                outgoing.retain,
                outgoing.packetId,
                link.isV5(),
                link.isV5() ? outgoing.subscriptionId : 0,
                link.isV5() ? expiry : -1);
        link.write(withPayload(header, message, shared));
        if (shared == null) {
            broker.stats.delivered.increment();
        }
        return true;
    }

    /** Header and payload as one composite: the payload bytes are shared, never copied per subscriber. */
    private static ByteBuf withPayload(ByteBuf header, Message message, Fanout.LoopBatch shared) {
        ByteBuf payload = shared != null ? shared.payload() : Unpooled.wrappedBuffer(message.payload());
        return Unpooled.wrappedUnmodifiableBuffer(header, payload);
    }

    private void enqueue(Outgoing outgoing) {
        if (queue == null) {
            queue = new ArrayDeque<>(8);
        }
        if (queue.size() >= broker.config.maxQueuedMessages()) {
            broker.stats.droppedQueueFull.increment();
            return;
        }
        queue.add(outgoing);
        // No-local was decided at matching; a queued message must not keep its publisher's session alive.
        if (outgoing.message.origin() != null) {
            outgoing.message = outgoing.message.withoutOrigin();
        }
    }

    /** Sends queued deliveries while the inflight window has room. */
    void pump() {
        if (link == null || queue == null) {
            return;
        }
        boolean wrote = false;
        long now = broker.clock.millis();
        while (!queue.isEmpty() && inflightCount() < window()) {
            Outgoing next = queue.poll();
            if (next.message.isExpired(now)) {
                broker.stats.droppedExpired.increment();
                continue;
            }
            wrote |= send(next, false, null);
        }
        if (wrote) {
            link.flush();
        }
    }

    /**
     * The client's acknowledgement of a QoS 1 delivery (PUBACK) or of the end of a QoS 2 one (PUBCOMP),
     * for in-process links attached with {@link Broker#attach}; call on the session's executor.
     */
    public void acknowledge(int packetId) {
        Outgoing outgoing = inflight == null ? null : inflight.get(packetId);
        if (outgoing != null) {
            complete(outgoing);
        }
    }

    void onPubAck(int packetId) {
        Outgoing outgoing = inflight == null ? null : inflight.get(packetId);
        if (outgoing != null && outgoing.qos == 1) {
            complete(outgoing);
        }
    }

    /** PUBREC: answer PUBREL; a failure reason code ends the delivery instead (MQTT 5 §4.3.3). */
    void onPubRec(int packetId, int reasonCode) {
        Outgoing outgoing = inflight == null ? null : inflight.get(packetId);
        if (outgoing == null || outgoing.qos != 2) {
            if (link != null) { // unknown id: release it anyway so the client can free its state
                link.writeControl(pubrel(packetId));
                link.flush();
            }
            return;
        }
        if (reasonCode >= 0x80) {
            complete(outgoing);
            return;
        }
        clearResendPending(outgoing); // the client had it from the earlier connection
        outgoing.released = true;
        link.writeControl(pubrel(packetId));
        link.flush();
    }

    void onPubComp(int packetId) {
        Outgoing outgoing = inflight == null ? null : inflight.get(packetId);
        if (outgoing != null && outgoing.qos == 2) {
            complete(outgoing);
        }
    }

    private void complete(Outgoing outgoing) {
        inflight.remove(outgoing.packetId);
        inflightOrder.remove(outgoing);
        clearResendPending(outgoing);
        resendDeferred();
        pump();
    }

    /**
     * After a reconnect: resend what is unacknowledged, in order, with DUP; then the queue. The new
     * connection may allow fewer unacknowledged deliveries (Receive Maximum) than were in flight: the
     * rest keep their packet ids and go out as acknowledgements make room, before anything queued.
     */
    void resend() {
        if (inflightOrder != null) {
            deferredResends = 0;
            int room = window();
            // A copy: a delivery too large for the new connection leaves the window while we iterate.
            for (Outgoing outgoing : inflightOrder.toArray(new Outgoing[0])) {
                outgoing.resendPending = false;
                if (room > 0) {
                    room--;
                    resendOne(outgoing);
                } else {
                    outgoing.resendPending = true;
                    deferredResends++;
                }
            }
        }
        link.flush();
        pump();
    }

    private void resendOne(Outgoing outgoing) {
        broker.stats.redelivered.increment();
        if (outgoing.released) {
            link.writeControl(pubrel(outgoing.packetId));
        } else {
            send(outgoing, true, null);
        }
    }

    /** Sends deferred resends, oldest first, while the client's Receive Maximum leaves room. */
    private void resendDeferred() {
        if (deferredResends == 0 || link == null) {
            return;
        }
        boolean wrote = false;
        for (Outgoing outgoing : inflightOrder.toArray(new Outgoing[0])) {
            if (deferredResends == 0 || inflightCount() - deferredResends >= window()) {
                break;
            }
            if (outgoing.resendPending) {
                clearResendPending(outgoing);
                resendOne(outgoing);
                wrote = true;
            }
        }
        if (wrote) {
            link.flush();
        }
    }

    private void clearResendPending(Outgoing outgoing) {
        if (outgoing.resendPending) {
            outgoing.resendPending = false;
            deferredResends--;
        }
    }

    private static MqttMessage pubrel(int packetId) {
        return new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(packetId));
    }

    private int window() {
        return Math.min(broker.config.maxInflight(), link.receiveMaximum());
    }

    int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    int queuedCount() {
        return queue == null ? 0 : queue.size();
    }

    private IntObjectHashMap<Outgoing> inflight() {
        if (inflight == null) {
            inflight = new IntObjectHashMap<>(8);
            inflightOrder = new ArrayDeque<>(8);
        }
        return inflight;
    }

    private int nextPacketId() {
        for (int tries = 0; tries < 65_535; tries++) {
            int id = nextPacketId;
            nextPacketId = id == 65_535 ? 1 : id + 1;
            if (inflight == null || !inflight.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free packet id"); // unreachable: the window is far smaller
    }

    // ---- inbound QoS 2 ----------------------------------------------------------------------------

    /** True when a QoS 2 PUBLISH with this id was already received and routed (a resend). */
    boolean isAwaitingRelease(int packetId) {
        return awaitingRelease != null && awaitingRelease.contains(packetId);
    }

    void awaitRelease(int packetId) {
        if (awaitingRelease == null) {
            awaitingRelease = new HashSet<>(4);
        }
        awaitingRelease.add(packetId);
    }

    /** PUBREL: true when the id was known. */
    boolean release(int packetId) {
        return awaitingRelease != null && awaitingRelease.remove(packetId);
    }

    int awaitingReleaseCount() {
        return awaitingRelease == null ? 0 : awaitingRelease.size();
    }

    /** What waits for the client, oldest first: unacknowledged deliveries, then the queue. */
    java.util.List<SessionSnapshot.QueuedEntry> pendingMessages() {
        java.util.List<SessionSnapshot.QueuedEntry> pending = new java.util.ArrayList<>();
        if (inflightOrder != null) {
            for (Outgoing outgoing : inflightOrder) {
                if (!outgoing.released) { // released QoS 2 messages have reached the client already
                    pending.add(new SessionSnapshot.QueuedEntry(
                            outgoing.message, outgoing.qos, outgoing.retain, outgoing.subscriptionId));
                }
            }
        }
        if (queue != null) {
            for (Outgoing outgoing : queue) {
                pending.add(new SessionSnapshot.QueuedEntry(
                        outgoing.message, outgoing.qos, outgoing.retain, outgoing.subscriptionId));
            }
        }
        return pending;
    }

    void restoreQueue(java.util.List<SessionSnapshot.QueuedEntry> entries) {
        for (SessionSnapshot.QueuedEntry entry : entries) {
            enqueue(new Outgoing(entry.message(), entry.qos(), entry.retain(), entry.subscriptionId()));
        }
    }

    /** A new connection with Clean Start drops everything the old one left. */
    void clearState() {
        deferredResends = 0;
        inflight = null;
        inflightOrder = null;
        queue = null;
        awaitingRelease = null;
    }
}
