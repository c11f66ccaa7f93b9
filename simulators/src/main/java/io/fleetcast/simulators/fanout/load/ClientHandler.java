package io.fleetcast.simulators.fanout.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One generator connection: sends CONNECT when the socket opens and completes futures for CONNACK,
 * SUBACK and UNSUBACK. One SUBSCRIBE or UNSUBSCRIBE is in flight at a time, which is all the
 * benchmark needs. All methods run on the channel's event loop; the public ones hop onto it.
 */
abstract class ClientHandler extends SimpleChannelInboundHandler<MqttMessage> {

    private final ClientOptions options;
    private final String clientId;
    final CompletableFuture<ClientHandler> connected = new CompletableFuture<>();
    private CompletableFuture<Void> pendingAck;
    private int pendingPacketId;
    private int nextPacketId = 1;
    ChannelHandlerContext ctx;

    ClientHandler(ClientOptions options, String clientId) {
        this.options = options;
        this.clientId = clientId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttPackets.connect(options, clientId));
        ctx.executor()
                .schedule(
                        () -> {
                            if (connected.completeExceptionally(new FanoutFailure("no CONNACK within timeout"))) {
                                ctx.close();
                            }
                        },
                        options.timeout().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        switch (msg.fixedHeader().messageType()) {
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
            case PUBACK -> onPubAck(((MqttPubAckMessage) msg).variableHeader().messageId());
            case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) msg);
            case SUBACK -> onSubAck((MqttSubAckMessage) msg);
            case UNSUBACK -> completePending(((MqttUnsubAckMessage) msg).variableHeader(), null);
            default -> {
                // PINGRESP, and anything a broker may send that the benchmark does not use.
            }
        }
    }

    private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage msg) {
        MqttConnectReturnCode code = msg.variableHeader().connectReturnCode();
        if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            connected.complete(this);
        } else {
            connected.completeExceptionally(new FanoutFailure("CONNACK " + code));
            ctx.close();
        }
    }

    private void onSubAck(MqttSubAckMessage msg) {
        // 0x80 and above is a refusal in MQTT 3.1.1 (0x80) and 5 (reason codes).
        boolean refused = msg.payload().reasonCodes().stream().anyMatch(code -> code >= 0x80);
        completePending(msg.variableHeader(), refused ? new FanoutFailure("SUBACK refused a filter") : null);
    }

    private void completePending(MqttMessageIdVariableHeader header, FanoutFailure failure) {
        if (pendingAck == null || header.messageId() != pendingPacketId) {
            return;
        }
        CompletableFuture<Void> ack = pendingAck;
        pendingAck = null;
        if (failure == null) {
            ack.complete(null);
        } else {
            ack.completeExceptionally(failure);
        }
    }

    /** Subscribes to all filters in one SUBSCRIBE; completes on SUBACK. */
    CompletableFuture<Void> subscribe(List<String> filters, MqttQoS qos) {
        return request(id -> MqttPackets.subscribe(id, filters, qos));
    }

    CompletableFuture<Void> unsubscribe(List<String> filters) {
        return request(id -> MqttPackets.unsubscribe(id, filters));
    }

    private CompletableFuture<Void> request(IntFunction<MqttMessage> packet) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                ack.completeExceptionally(new FanoutFailure("connection closed"));
                return;
            }
            if (pendingAck != null) {
                ack.completeExceptionally(new IllegalStateException("a request is already in flight"));
                return;
            }
            pendingAck = ack;
            pendingPacketId = nextPacketId();
            ctx.writeAndFlush(packet.apply(pendingPacketId));
        });
        ctx.executor()
                .schedule(
                        () -> {
                            // Runs on the event loop, like every other use of pendingAck.
                            if (ack.completeExceptionally(new FanoutFailure("no acknowledgement within timeout"))
                                    && pendingAck == ack) {
                                pendingAck = null;
                            }
                        },
                        options.timeout().toMillis(),
                        TimeUnit.MILLISECONDS);
        return ack;
    }

    int nextPacketId() {
        int id = nextPacketId;
        nextPacketId = id == 0xFFFF ? 1 : id + 1;
        return id;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connected.completeExceptionally(new FanoutFailure("connection closed before CONNACK"));
        if (pendingAck != null) {
            pendingAck.completeExceptionally(new FanoutFailure("connection closed"));
            pendingAck = null;
        }
        onClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and decoder errors end the connection; channelInactive does the bookkeeping.
        ctx.close();
    }

    boolean isOpen() {
        return ctx != null && ctx.channel().isActive();
    }

    abstract void onPublish(ChannelHandlerContext ctx, MqttPublishMessage msg);

    abstract void onPubAck(int packetId);

    abstract void onClosed();
}
