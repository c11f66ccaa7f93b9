package io.fleetcast.routing.broker;

import io.fleetcast.routing.InvalidTopicException;
import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.TopicFilter;
import io.fleetcast.routing.TopicName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * One client connection: the MQTT 3.1.1 and 5 protocol between a Netty channel (decoded by Netty's
 * {@code MqttDecoder}, control packets encoded by its {@code MqttEncoder}) and the {@link Broker}.
 *
 * <p>The host feeds it decoded packets with {@link #onMessage} and calls {@link #onClosed} once when
 * the channel is gone, both on the channel's event loop. Refusals use what each protocol version can
 * say: MQTT 5 gets reason codes on CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK and DISCONNECT; MQTT 3.1.1
 * can only refuse a CONNECT with a return code, fail a subscription, or close the connection.
 */
public final class ClientConnection implements Link, ClientHandle {

    private enum State {
        AWAITING_CONNECT,
        AUTHENTICATING,
        OPEN,
        CLOSED
    }

    /** Packets a client may send after CONNECT before it is accepted; they wait for the answer. */
    private static final int MAX_EARLY_PACKETS = 16;

    private final Broker broker;
    private final Channel channel;
    private final Executor resume;
    private final SSLSession tls;
    private final String address;

    private State state = State.AWAITING_CONNECT;
    private boolean v5;
    private String clientId;
    private ClientPolicy policy;
    private Session session;
    private CloseCause closeCause;
    private boolean detachedFromSession;

    private int keepAliveSeconds;
    private long lastHeardNanos = System.nanoTime();
    private ScheduledFuture<?> timer;

    private Message will;
    private long willDelaySeconds;
    /** The will's Message Expiry Interval: counted from when the will is published, not from CONNECT. */
    private long willExpirySeconds;

    private long requestedExpirySeconds;

    /** MQTT 5 Request Problem Information: when 0, no reason strings on PUBACK and PUBREC (§3.1.2.11.7). */
    private boolean problemInformation = true;

    private int clientMaxPacketSize = Integer.MAX_VALUE;
    private int clientReceiveMaximum = 65_535;
    private String[] topicAliases;

    private List<MqttMessage> earlyPackets;
    private boolean flushMarked;
    private long slowSinceNanos;

    private long windowStartNanos = System.nanoTime();
    private int packetsInWindow;

    /**
     * @param resume where work that completes elsewhere (authentication) comes back to: the channel's
     *     event loop, or a context bound to it (the platform uses its Vert.x context)
     * @param tls the TLS session on a TLS listener, else null
     */
    public ClientConnection(Broker broker, Channel channel, Executor resume, SSLSession tls) {
        this.broker = broker;
        this.channel = channel;
        this.resume = resume;
        this.tls = tls;
        this.address = channel.remoteAddress() instanceof java.net.InetSocketAddress inet
                ? inet.getHostString()
                : String.valueOf(channel.remoteAddress());
    }

    /** Starts the CONNECT timer; call once the channel is active. */
    public void start() {
        broker.added(this);
        timer = channel.eventLoop()
                .schedule(this::connectTimedOut, broker.config.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- inbound ----------------------------------------------------------------------------------

    /** A decoded packet from the channel; this method releases it. */
    public void onMessage(Object decoded) {
        if (!(decoded instanceof MqttMessage message)) {
            ReferenceCountUtil.release(decoded);
            return;
        }
        lastHeardNanos = System.nanoTime();
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            onDecoderFailure(message.decoderResult().cause());
            return;
        }
        if (state == State.AUTHENTICATING) {
            holdEarly(message);
            return;
        }
        try {
            if (!isAcknowledgement(message) && !withinPacketRate()) {
                return;
            }
            if (state == State.AWAITING_CONNECT) {
                if (message.fixedHeader().messageType() != MqttMessageType.CONNECT) {
                    reject("connect_expected", address);
                    channel.close();
                    return;
                }
                onConnect((MqttConnectMessage) message);
                return;
            }
            dispatch(message);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void dispatch(MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> onPublish((MqttPublishMessage) message);
            case PUBACK -> session.onPubAck(packetId(message));
            case PUBREC -> session.onPubRec(packetId(message), reasonCode(message));
            case PUBREL -> onPubRel(packetId(message));
            case PUBCOMP -> session.onPubComp(packetId(message));
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) message);
            case PINGREQ -> writeAndFlush(MqttMessage.PINGRESP);
            case DISCONNECT -> onDisconnect(message);
            case CONNECT -> protocolError("second_connect");
            default -> protocolError(
                    "unexpected_" + message.fixedHeader().messageType().name().toLowerCase());
        }
    }

    /**
     * Netty's decoder failed: a malformed or oversized packet. The decoder discards everything after a
     * failure, so the connection is useless and is closed, with a reason where the protocol has one.
     */
    private void onDecoderFailure(Throwable cause) {
        if (state == State.AWAITING_CONNECT || state == State.AUTHENTICATING) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                broker.events.connectRefused("unsupported_protocol_version", address);
                refuseConnect(0x84, "unsupported_protocol_version");
                return;
            }
            if (cause instanceof MqttIdentifierRejectedException) {
                broker.events.connectRefused("client_id_rejected", address);
                refuseConnect(0x85, "client_id_rejected");
                return;
            }
            broker.events.connectRefused(
                    cause instanceof TooLongFrameException ? "packet_too_large" : "malformed_packet", address);
            closeCause = CloseCause.PROTOCOL_ERROR;
            channel.close();
            return;
        }
        boolean tooLarge = cause instanceof TooLongFrameException
                || (cause instanceof DecoderException
                        && String.valueOf(cause.getMessage()).contains("too large"));
        disconnectForError(tooLarge ? 0x95 : 0x81, tooLarge ? "packet_too_large" : "malformed_packet");
    }

    /**
     * Acknowledgements of our own deliveries do not count towards the packet rate: their number is
     * bounded by the inflight window the broker grants, and a busy QoS 1 subscriber is no flood.
     */
    private static boolean isAcknowledgement(MqttMessage message) {
        MqttMessageType type = message.fixedHeader().messageType();
        return type == MqttMessageType.PUBACK || type == MqttMessageType.PUBREC || type == MqttMessageType.PUBCOMP;
    }

    private boolean withinPacketRate() {
        long now = System.nanoTime();
        if (now - windowStartNanos >= 1_000_000_000L) {
            windowStartNanos = now;
            packetsInWindow = 0;
        }
        if (++packetsInWindow > broker.config.maxPacketsPerSecond()) {
            disconnectForError(0x96, "packet_flood");
            return false;
        }
        return true;
    }

    private void holdEarly(MqttMessage message) {
        if (earlyPackets == null) {
            earlyPackets = new ArrayList<>(4);
        }
        if (earlyPackets.size() >= MAX_EARLY_PACKETS) {
            ReferenceCountUtil.release(message);
            reject("too_many_early_packets", address);
            closeCause = CloseCause.PROTOCOL_ERROR;
            channel.close();
            return;
        }
        earlyPackets.add(message);
    }

    // ---- CONNECT ----------------------------------------------------------------------------------

    private void onConnect(MqttConnectMessage connect) {
        int version = connect.variableHeader().version();
        v5 = version >= 5;
        boolean cleanStart = connect.variableHeader().isCleanSession();
        String requestedId = connect.payload().clientIdentifier();
        MqttProperties properties = connect.variableHeader().properties();
        keepAliveSeconds = connect.variableHeader().keepAliveTimeSeconds();

        String authMethod = null;
        if (v5) {
            clientReceiveMaximum = intProperty(properties, MqttPropertyType.RECEIVE_MAXIMUM, 65_535);
            clientMaxPacketSize = intProperty(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
            problemInformation = intProperty(properties, MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1) != 0;
            if (clientReceiveMaximum == 0 || clientMaxPacketSize == 0) {
                refuseConnect(0x82, "protocol_error");
                return;
            }
            MqttProperties.MqttProperty<?> method =
                    properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value());
            authMethod = method == null ? null : (String) method.value();
            if (authMethod != null) {
                // Enhanced authentication (AUTH exchanges) is not offered; say so rather than guess.
                refuseConnect(0x8C, "bad_authentication_method");
                return;
            }
        }
        if (requestedId == null || requestedId.isEmpty()) {
            if (!cleanStart && !v5) {
                refuseConnect(0x85, "client_id_rejected");
                return;
            }
        }
        if (connect.variableHeader().isWillFlag() && !acceptWill(connect)) {
            return;
        }
        state = State.AUTHENTICATING;
        channel.config().setAutoRead(false);
        byte[] password =
                connect.variableHeader().hasPassword() ? connect.payload().passwordInBytes() : null;
        String username =
                connect.variableHeader().hasUserName() ? connect.payload().userName() : null;
        ConnectRequest request = new ConnectRequest(
                requestedId == null ? "" : requestedId,
                username,
                password,
                tls,
                address,
                version,
                cleanStart,
                authMethod);
        requestedExpirySeconds = v5
                ? Integer.toUnsignedLong(intProperty(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0))
                : (cleanStart ? 0 : broker.config.maxSessionExpirySeconds());
        long expiry = Math.min(requestedExpirySeconds, broker.config.maxSessionExpirySeconds());
        java.util.concurrent.CompletionStage<Admission> admission;
        try {
            admission = broker.authenticator.authenticate(request);
        } catch (RuntimeException failure) {
            admission = java.util.concurrent.CompletableFuture.failedFuture(failure);
        }
        admission.whenComplete((answer, failure) -> resume.execute(() -> {
            if (failure != null || answer == null) {
                refuseConnect(0x88, "server_unavailable");
            } else {
                onAdmission(answer, request, expiry);
            }
        }));
    }

    private boolean acceptWill(MqttConnectMessage connect) {
        String topic = connect.payload().willTopic();
        try {
            TopicName.validate(topic == null ? "" : topic, broker.config.topicLimits());
        } catch (InvalidTopicException e) {
            refuseConnect(0x90, "invalid_will_topic");
            return false;
        }
        MqttProperties willProperties = connect.payload().willProperties();
        if (v5) {
            willDelaySeconds =
                    Integer.toUnsignedLong(intProperty(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL, 0));
            willExpirySeconds = Integer.toUnsignedLong(
                    intProperty(willProperties, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, 0));
        }
        byte[] payload = connect.payload().willMessageInBytes();
        will = new Message(
                topic,
                connect.variableHeader().willQos(),
                connect.variableHeader().isWillRetain(),
                payload == null ? new byte[0] : payload,
                v5 ? forwarded(willProperties) : MqttProperties.NO_PROPERTIES,
                0,
                null);
        return true;
    }

    private void onAdmission(Admission admission, ConnectRequest request, long expiry) {
        if (state == State.CLOSED) {
            return; // the client went away while it was checked
        }
        if (!admission.accepted()) {
            refuseConnect(admission.reasonCode(), admission.reason());
            return;
        }
        policy = admission.policy();
        boolean assigned = false;
        clientId = admission.clientId();
        if (clientId == null || clientId.isEmpty()) {
            clientId = request.clientId();
        }
        if (clientId.isEmpty()) {
            clientId = "auto-" + UUID.randomUUID();
            assigned = true;
        }
        boolean assignedId = assigned;
        broker.open(
                this,
                clientId,
                request.cleanStart(),
                (opened, present) ->
                        resume.execute(() -> onSessionOpen(opened, present, request.cleanStart(), expiry, assignedId)));
    }

    private void onSessionOpen(Session opened, boolean present, boolean cleanStart, long expiry, boolean assignedId) {
        if (opened.ended || opened.claimant != this) {
            // Another connection with this client id claimed the session after this one did, or the
            // session ended meanwhile: this connection lost the race and must not attach, or two
            // connections would share one session and the other would never be cut off.
            reject("session_taken_over", address);
            closeCause = CloseCause.TAKEN_OVER;
            state = State.CLOSED;
            channel.close();
            return;
        }
        session = opened;
        if (state == State.CLOSED || !channel.isActive()) {
            // Gone while the session was being opened: it is detached at once, as on any lost link.
            session.expirySeconds = expiry;
            detachFromSession();
            return;
        }
        session.link = this;
        session.expirySeconds = expiry;
        if (cleanStart) {
            session.clearState();
        }
        state = State.OPEN;
        cancelTimer();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (v5) {
            properties = new MqttProperties();
            properties.add(
                    new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), broker.config.receiveMaximum()));
            properties.add(
                    new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), broker.config.maxPacketBytes()));
            properties.add(new IntegerProperty(
                    MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), broker.config.topicAliasMaximum()));
            properties.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 1));
            properties.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
            properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1));
            properties.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1));
            if (expiry != requestedExpirySeconds) { // capped: the client must know
                properties.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) expiry));
            }
            if (assignedId) {
                properties.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
            }
            if (keepAliveSeconds == 0 || keepAliveSeconds > broker.config.maxKeepAliveSeconds()) {
                keepAliveSeconds = broker.config.maxKeepAliveSeconds();
                properties.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), keepAliveSeconds));
            }
        }
        channel.write(new MqttConnAckMessage(
                new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, present, properties)));
        scheduleKeepAlive();
        policy.opened(this);
        session.resend();
        channel.flush();
        channel.config().setAutoRead(true);
        List<MqttMessage> early = earlyPackets;
        earlyPackets = null;
        if (early != null) {
            for (MqttMessage message : early) {
                if (state == State.OPEN) {
                    try {
                        dispatch(message);
                    } finally {
                        ReferenceCountUtil.release(message);
                    }
                } else {
                    ReferenceCountUtil.release(message);
                }
            }
        }
    }

    private void refuseConnect(int reasonCode, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (v5 && reason != null) {
            properties = reasonString(reason);
        }
        MqttConnectReturnCode code = v5 ? MqttConnectReturnCode.valueOf((byte) reasonCode) : v3ReturnCode(reasonCode);
        state = State.CLOSED;
        closeCause = CloseCause.PROTOCOL_ERROR;
        channel.writeAndFlush(new MqttConnAckMessage(
                        new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        new MqttConnAckVariableHeader(code, false, properties)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The nearest MQTT 3.1.1 return code for an MQTT 5 CONNACK reason code. */
    static MqttConnectReturnCode v3ReturnCode(int reasonCode) {
        return switch (reasonCode) {
            case 0x84 -> MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION;
            case 0x85 -> MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            case 0x86, 0x8C -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            case 0x87, 0x8A -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            default -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        };
    }

    // ---- PUBLISH ----------------------------------------------------------------------------------

    private void onPublish(MqttPublishMessage publish) {
        int qos = publish.fixedHeader().qosLevel().value();
        if (qos > 2) {
            disconnectForError(0x81, "malformed_packet");
            return;
        }
        int packetId = publish.variableHeader().packetId();
        MqttProperties properties = publish.variableHeader().properties();
        String topic = resolveTopic(publish.variableHeader().topicName(), properties);
        if (topic == null) {
            return; // refused already
        }
        try {
            TopicName.validate(topic, broker.config.topicLimits());
        } catch (InvalidTopicException e) {
            disconnectForError(0x90, "invalid_topic");
            return;
        }
        if (topic.indexOf('\uFFFD') >= 0) {
            // The decoder replaces invalid UTF-8 with U+FFFD; a topic must be well-formed UTF-8.
            disconnectForError(0x81, "invalid_utf8");
            return;
        }
        if (qos == 2 && session.isAwaitingRelease(packetId)) {
            writeAndFlush(pubReply(MqttMessageType.PUBREC, packetId, 0, null)); // a resend: routed already
            return;
        }
        if (qos == 2 && session.awaitingReleaseCount() >= broker.config.receiveMaximum()) {
            disconnectForError(0x93, "receive_maximum_exceeded");
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        if (v5 && intProperty(properties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, 0) == 1 && !isUtf8(payload)) {
            refusePublish(qos, packetId, 0x99, "payload_format_invalid");
            return;
        }
        long expiresAt = 0;
        if (v5) {
            int expiry = intProperty(properties, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, 0);
            if (expiry > 0) {
                expiresAt = broker.clock.millis() + Integer.toUnsignedLong(expiry) * 1000;
            }
        }
        Message message = new Message(
                topic,
                qos,
                publish.fixedHeader().isRetain(),
                payload,
                v5 ? forwarded(properties) : MqttProperties.NO_PROPERTIES,
                expiresAt,
                session);
        PublishVerdict verdict = policy.onPublish(message);
        if (verdict.refused()) {
            refusePublish(qos, packetId, verdict.reasonCode(), verdict.reason());
            return;
        }
        if (verdict.route() && !broker.publish(message)) {
            refusePublish(qos, packetId, 0x97, "retained_store_full");
            return;
        }
        if (qos == 1) {
            writeAndFlush(pubReply(MqttMessageType.PUBACK, packetId, 0, null));
        } else if (qos == 2) {
            session.awaitRelease(packetId);
            writeAndFlush(pubReply(MqttMessageType.PUBREC, packetId, 0, null));
        }
    }

    /** Applies an MQTT 5 topic alias; null after disconnecting the client for a bad one. */
    private String resolveTopic(String topic, MqttProperties properties) {
        if (!v5) {
            return topic;
        }
        int alias = intProperty(properties, MqttPropertyType.TOPIC_ALIAS, 0);
        if (properties.getProperty(MqttPropertyType.TOPIC_ALIAS.value()) == null) {
            return topic;
        }
        if (alias <= 0 || alias > broker.config.topicAliasMaximum()) {
            disconnectForError(0x94, "topic_alias_invalid");
            return null;
        }
        if (topicAliases == null) {
            topicAliases = new String[broker.config.topicAliasMaximum() + 1];
        }
        if (topic == null || topic.isEmpty()) {
            String known = topicAliases[alias];
            if (known == null) {
                disconnectForError(0x82, "topic_alias_unknown");
            }
            return known;
        }
        topicAliases[alias] = topic;
        return topic;
    }

    /**
     * MQTT 5 answers a refused QoS 1 or 2 PUBLISH with a reason code and keeps the connection; for QoS 0
     * and for MQTT 3.1.1 the only way to tell the client is to disconnect it.
     */
    private void refusePublish(int qos, int packetId, int reasonCode, String reason) {
        reject(reason, describe());
        if (v5 && qos == 1) {
            writeAndFlush(pubReply(MqttMessageType.PUBACK, packetId, reasonCode, reason));
        } else if (v5 && qos == 2) {
            writeAndFlush(pubReply(MqttMessageType.PUBREC, packetId, reasonCode, reason));
        } else {
            disconnect(reasonCode, reason, reasonCode == 0x87 ? CloseCause.KICKED : CloseCause.PROTOCOL_ERROR);
        }
    }

    private void onPubRel(int packetId) {
        boolean known = session.release(packetId);
        writeAndFlush(pubReply(MqttMessageType.PUBCOMP, packetId, known || !v5 ? 0 : 0x92, null));
    }

    // ---- SUBSCRIBE and UNSUBSCRIBE -------------------------------------------------------------------

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        int packetId = subscribe.idAndPropertiesVariableHeader().messageId();
        MqttProperties properties = subscribe.idAndPropertiesVariableHeader().properties();
        int subscriptionId = 0;
        if (v5) {
            MqttProperties.MqttProperty<?> id =
                    properties.getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value());
            if (id != null) {
                subscriptionId = (Integer) id.value();
                if (subscriptionId <= 0 || subscriptionId > SubscriptionOptions.MAX_SUBSCRIPTION_ID) {
                    disconnectForError(0x82, "invalid_subscription_identifier");
                    return;
                }
            }
        }
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        int[] codes = new int[requested.size()];
        List<Runnable> retainedDeliveries = new ArrayList<>(0);
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription subscription = requested.get(i);
            codes[i] = subscribeOne(subscription, subscriptionId, retainedDeliveries);
            if (codes[i] < 0) {
                return; // disconnected for a protocol error
            }
            if (!v5 && codes[i] >= 0x80) {
                codes[i] = 0x80;
            }
        }
        channel.write(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
        // Retained messages follow the SUBACK, never before it.
        retainedDeliveries.forEach(Runnable::run);
        channel.flush();
    }

    /** One subscription of a SUBSCRIBE: the SUBACK code, or -1 after a protocol error. */
    private int subscribeOne(
            MqttTopicSubscription subscription, int subscriptionId, List<Runnable> retainedDeliveries) {
        String raw = subscription.topicFilter();
        TopicFilter filter;
        try {
            filter = TopicFilter.parse(raw, broker.config.topicLimits());
        } catch (InvalidTopicException e) {
            reject("invalid_filter", describe());
            return 0x8F;
        }
        if (raw.indexOf('\uFFFD') >= 0) {
            reject("invalid_utf8", describe());
            return 0x8F;
        }
        MqttSubscriptionOption option = subscription.option();
        if (filter.isShared() && option.isNoLocal()) {
            disconnectForError(0x82, "no_local_on_shared_subscription");
            return -1;
        }
        int granted = policy.onSubscribe(filter, option.qos().value());
        if (granted >= 0x80) {
            reject("filter_not_allowed", describe());
            return granted;
        }
        boolean existed = session.subscriptions.containsKey(raw);
        if (!existed && session.subscriptions.size() >= broker.config.maxSubscriptionsPerSession()) {
            reject("too_many_subscriptions", describe());
            return 0x97;
        }
        SubscriptionOptions options =
                SubscriptionOptions.of(granted, option.isNoLocal(), option.isRetainAsPublished(), subscriptionId);
        session.subscriptions.put(raw, new Session.Subscribed(filter, options));
        broker.index.subscribe(filter, session, options);
        MqttSubscriptionOption.RetainedHandlingPolicy handling = option.retainHandling();
        boolean sendRetained = !filter.isShared()
                && (handling == MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE
                        || (handling
                                        == MqttSubscriptionOption.RetainedHandlingPolicy
                                                .SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS
                                && !existed));
        if (sendRetained) {
            retainedDeliveries.add(() -> broker.retained.forEachMatch(
                    filter,
                    retained ->
                            session.deliver(retained, Math.min(retained.qos(), granted), true, subscriptionId, null)));
        }
        return granted;
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
        List<String> filters = unsubscribe.payload().topics();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            String raw = filters.get(i);
            Session.Subscribed removed = session.subscriptions.remove(raw);
            if (removed != null) {
                broker.index.unsubscribe(removed.filter(), session);
                codes[i] = 0x00;
            } else {
                codes[i] = isValidFilter(raw) ? (short) 0x11 : (short) 0x8F;
            }
        }
        writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes)));
    }

    private boolean isValidFilter(String raw) {
        try {
            TopicFilter.parse(raw, broker.config.topicLimits());
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    // ---- DISCONNECT and closing ------------------------------------------------------------------------

    private void onDisconnect(MqttMessage disconnect) {
        int reasonCode = 0;
        if (v5 && disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reasonCode = header.reasonCode() & 0xFF;
            MqttProperties.MqttProperty<?> expiry =
                    header.properties().getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
            if (expiry != null) {
                long requested = Integer.toUnsignedLong((Integer) expiry.value());
                if (session.expirySeconds == 0 && requested > 0) {
                    disconnectForError(0x82, "session_expiry_after_zero");
                    return;
                }
                session.expirySeconds = Math.min(requested, broker.config.maxSessionExpirySeconds());
            }
        }
        if (reasonCode != 0x04) {
            will = null; // a normal DISCONNECT discards the will (0x04 asks for it to be sent)
        }
        closeCause = CloseCause.CLIENT_DISCONNECT;
        channel.close();
    }

    /** The channel is gone, whoever closed it; call once. */
    public void onClosed() {
        if (state == State.CLOSED && closeCause == null) {
            closeCause = CloseCause.PROTOCOL_ERROR;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        broker.removed(this);
        cancelTimer();
        if (earlyPackets != null) {
            earlyPackets.forEach(ReferenceCountUtil::release);
            earlyPackets = null;
        }
        if (closeCause == null) {
            closeCause = CloseCause.CONNECTION_LOST;
        }
        if (session != null) {
            detachFromSession();
        }
        if (policy != null && (wasOpen || session != null)) {
            policy.closed(closeCause);
        }
    }

    private void detachFromSession() {
        if (detachedFromSession) {
            return;
        }
        detachedFromSession = true;
        if (session.link == this || session.link == null) {
            Message lastWill = will;
            will = null;
            if (lastWill != null && willExpirySeconds > 0) {
                long delay = Math.min(willDelaySeconds, session.expirySeconds);
                lastWill = new Message(
                        lastWill.topic(),
                        lastWill.qos(),
                        lastWill.retain(),
                        lastWill.payload(),
                        lastWill.properties(),
                        broker.clock.millis() + (delay + willExpirySeconds) * 1000,
                        null);
            }
            broker.detached(session, lastWill, willDelaySeconds, policy);
        }
    }

    /** Another connection took the session: told on this connection's loop, before the session moves. */
    void takenOver() {
        if (session != null && !detachedFromSession) {
            closeCause = CloseCause.TAKEN_OVER;
            detachFromSession();
        }
        disconnect(0x8E, "session_taken_over", CloseCause.TAKEN_OVER);
    }

    /** A protocol error: MQTT 5 gets DISCONNECT with the reason code, then the connection closes. */
    private void disconnectForError(int reasonCode, String reason) {
        reject(reason, state == State.OPEN ? describe() : address);
        disconnect(reasonCode, reason, CloseCause.PROTOCOL_ERROR);
    }

    private void protocolError(String reason) {
        disconnectForError(0x82, reason);
    }

    /** Sends DISCONNECT (MQTT 5, once CONNACK was sent) and closes. */
    void disconnect(int reasonCode, String reason, CloseCause cause) {
        if (state == State.CLOSED || !channel.isActive()) {
            if (closeCause == null) {
                closeCause = cause;
            }
            return;
        }
        if (closeCause == null) {
            closeCause = cause;
        }
        boolean open = state == State.OPEN;
        state = State.CLOSED;
        if (open && v5) {
            channel.writeAndFlush(new MqttMessage(
                            new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                            new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, reasonString(reason))))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.flush();
            channel.close();
        }
    }

    /** No CONNECT in time, or an authenticator that never answered: the socket is closed either way. */
    private void connectTimedOut() {
        if (state == State.AWAITING_CONNECT || state == State.AUTHENTICATING) {
            reject(state == State.AWAITING_CONNECT ? "connect_timeout" : "authentication_timeout", address);
            closeCause = CloseCause.PROTOCOL_ERROR;
            state = State.CLOSED;
            channel.close();
        }
    }

    private void scheduleKeepAlive() {
        if (keepAliveSeconds <= 0) {
            return;
        }
        long limitNanos = keepAliveSeconds * 1_500_000_000L;
        long silentNanos = System.nanoTime() - lastHeardNanos;
        if (silentNanos >= limitNanos) {
            reject("keep_alive_timeout", describe());
            disconnect(0x8D, "keep_alive_timeout", CloseCause.KEEP_ALIVE_TIMEOUT);
            return;
        }
        timer = channel.eventLoop().schedule(this::scheduleKeepAlive, limitNanos - silentNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void reject(String reason, String who) {
        broker.events.rejected(reason, who);
    }

    // ---- Link ------------------------------------------------------------------------------------

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public boolean isV5() {
        return v5;
    }

    @Override
    public int maxPacketSize() {
        return clientMaxPacketSize;
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void write(ByteBuf packet) {
        if (state != State.OPEN) {
            packet.release();
            return;
        }
        channel.write(packet, channel.voidPromise());
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        if (outbound != null && outbound.totalPendingWriteBytes() > broker.config.maxPendingWriteBytes()) {
            cutOffSlowConsumer();
        } else if (slowSinceNanos != 0 && channel.isWritable()) {
            slowSinceNanos = 0;
        }
    }

    @Override
    public void writeControl(Object mqttMessage) {
        if (state != State.OPEN) {
            ReferenceCountUtil.release(mqttMessage);
            return;
        }
        channel.write(mqttMessage, channel.voidPromise());
    }

    @Override
    public void flush() {
        flushMarked = false;
        channel.flush();
    }

    @Override
    public boolean markForFlush() {
        if (flushMarked) {
            return false;
        }
        flushMarked = true;
        return true;
    }

    @Override
    public void droppedForSlowness() {
        long now = System.nanoTime();
        if (slowSinceNanos == 0) {
            slowSinceNanos = now;
        } else if (now - slowSinceNanos > broker.config.slowConsumerMillis() * 1_000_000L) {
            cutOffSlowConsumer();
        }
    }

    private void cutOffSlowConsumer() {
        if (state != State.OPEN) {
            return;
        }
        broker.stats.slowConsumers.increment();
        broker.events.slowConsumer(describe());
        // The socket is full, so a DISCONNECT would queue behind what the client does not read: close.
        closeCause = CloseCause.SLOW_CONSUMER;
        state = State.CLOSED;
        channel.close();
    }

    // ---- ClientHandle -------------------------------------------------------------------------------

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void send(Message message) {
        EventExecutor loop = channel.eventLoop();
        Runnable action = () -> {
            if (state == State.OPEN
                    && session != null
                    && session.link == this
                    && session.deliver(message, message.qos(), message.retain(), 0, null)) {
                flush();
            }
        };
        if (loop.inEventLoop()) {
            action.run();
        } else {
            loop.execute(action);
        }
    }

    @Override
    public void disconnect(int reasonCode, String reason) {
        EventExecutor loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            disconnect(reasonCode, reason, CloseCause.KICKED);
        } else {
            loop.execute(() -> disconnect(reasonCode, reason, CloseCause.KICKED));
        }
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN && channel.isActive();
    }

    /** Who this is for logs: the policy's description once accepted, else the address. */
    public String describe() {
        return policy != null ? policy.describe() : "address=" + address;
    }

    /** Keep alive in seconds as agreed at CONNECT. */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private void writeAndFlush(Object message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    private MqttMessage pubReply(MqttMessageType type, int packetId, int reasonCode, String reason) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        Object header = v5 && (reasonCode != 0 || reason != null)
                ? new MqttPubReplyMessageVariableHeader(
                        packetId,
                        (byte) reasonCode,
                        reason == null || !problemInformation ? MqttProperties.NO_PROPERTIES : reasonString(reason))
                : MqttMessageIdVariableHeader.from(packetId);
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0), header);
    }

    private static int packetId(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof MqttMessageIdVariableHeader id) {
            return id.messageId();
        }
        return 0;
    }

    private static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                ? reply.reasonCode() & 0xFF
                : 0;
    }

    private static int intProperty(MqttProperties properties, MqttPropertyType type, int fallback) {
        MqttProperties.MqttProperty<?> property = properties == null ? null : properties.getProperty(type.value());
        return property == null ? fallback : (Integer) property.value();
    }

    static MqttProperties reasonString(String reason) {
        MqttProperties properties = new MqttProperties();
        properties.add(new StringProperty(MqttPropertyType.REASON_STRING.value(), reason));
        return properties;
    }

    /** The properties of a PUBLISH a subscriber gets as published. */
    private static MqttProperties forwarded(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties kept = null;
        for (MqttProperties.MqttProperty<?> property : properties.listAll()) {
            int id = property.propertyId();
            if (id == MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value()
                    || id == MqttPropertyType.CONTENT_TYPE.value()
                    || id == MqttPropertyType.RESPONSE_TOPIC.value()
                    || id == MqttPropertyType.CORRELATION_DATA.value()
                    || id == MqttPropertyType.USER_PROPERTY.value()) {
                if (kept == null) {
                    kept = new MqttProperties();
                }
                kept.add(property);
            }
        }
        return kept == null ? MqttProperties.NO_PROPERTIES : kept;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
