package io.fleetcast.simulators.fanout.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.function.Supplier;

/**
 * A subscriber connection: records each delivery into its event loop's {@link SubscriberStats} and
 * acknowledges QoS 1 deliveries. PUBACKs are written as they come and flushed once per read batch.
 */
final class SubscriberHandler extends ClientHandler {

    private final Supplier<StepPlan> plan;
    private SubscriberStats stats;
    private int lastStep = -1;
    private long lastSequence = -1;
    private boolean unflushed;
    private boolean everConnected;
    volatile boolean stalled;

    SubscriberHandler(ClientOptions options, String clientId, Supplier<StepPlan> plan) {
        super(options, clientId);
        this.plan = plan;
    }

    /** Called once the channel is registered, on its event loop. */
    void bind(SubscriberStats stats) {
        this.stats = stats;
        connected.thenRun(() -> everConnected = true);
    }

    @Override
    void onPublish(ChannelHandlerContext ctx, MqttPublishMessage msg) {
        long now = System.nanoTime();
        stats.arrivals++;
        if (msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.write(MqttPackets.pubAck(msg.variableHeader().packetId()));
            unflushed = true;
        }
        ByteBuf payload = msg.payload();
        if (!FanoutPayload.isPayload(payload)) {
            stats.foreign++;
            return;
        }
        if (stalled) {
            stats.stalledDeliveries++;
            return;
        }
        StepPlan current = plan.get();
        int step = FanoutPayload.step(payload);
        if (step != current.step()) {
            stats.stale++;
            return;
        }
        if (now >= current.windowStartNanos() && now <= current.windowEndNanos()) {
            stats.inWindow++;
        }
        if (step != lastStep) {
            lastStep = step;
            lastSequence = -1;
        }
        long sequence = FanoutPayload.sequence(payload);
        // Per topic and QoS a broker keeps order, so anything at or below the last one seen is a
        // duplicate (a reordering would count here too, and is as much a fault).
        if (sequence <= lastSequence) {
            stats.duplicates++;
            return;
        }
        lastSequence = sequence;
        stats.lastArrivalNanos = Math.max(stats.lastArrivalNanos, now);
        if (sequence < current.warmupMessages()) {
            stats.warmup++;
            return;
        }
        stats.measured++;
        stats.recordLatency(now - FanoutPayload.dueNanos(payload));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    void onPubAck(int packetId) {
        // Subscribers never publish.
    }

    @Override
    void onClosed() {
        if (everConnected && stats != null) {
            stats.disconnects++;
        }
    }
}
