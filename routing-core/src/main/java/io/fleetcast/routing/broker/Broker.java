package io.fleetcast.routing.broker;

import io.fleetcast.routing.InterestListener;
import io.fleetcast.routing.SubscriptionIndex;
import io.fleetcast.routing.SubscriptionOptions;
import io.fleetcast.routing.TopicFilter;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The broker engine of one node: sessions by client id, the subscription index, retained messages,
 * wills, and routing of every published message to local subscribers and to other nodes.
 *
 * <p>Connections come from the host's listeners as {@link ClientConnection}s; the host supplies the
 * {@link Authenticator} that decides what each may do. Messages from the host itself (commands,
 * broadcasts) enter through {@link #publish} or {@link #sendTo}, from any thread.
 */
public final class Broker {

    final BrokerConfig config;
    final BrokerStats stats = new BrokerStats();
    final BrokerEvents events;
    final Authenticator authenticator;
    final SubscriptionIndex<Session> index;
    final RetainedStore retained;
    final Clock clock;
    final ByteBufAllocator alloc;
    private volatile ClusterLink cluster = ClusterLink.NONE;
    /** Share groups are routed by the cluster, not by {@link #routeLocal}. */
    private volatile boolean sharedByCluster;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<EventExecutor, Flusher> flushers = new ConcurrentHashMap<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Object[] sessionLocks = new Object[64];

    public Broker(BrokerConfig config, Authenticator authenticator, BrokerEvents events, InterestListener interest) {
        this(config, authenticator, events, interest, Clock.systemUTC(), ByteBufAllocator.DEFAULT);
    }

    public Broker(
            BrokerConfig config,
            Authenticator authenticator,
            BrokerEvents events,
            InterestListener interest,
            Clock clock,
            ByteBufAllocator alloc) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.events = Objects.requireNonNull(events, "events");
        this.index = new SubscriptionIndex<>(
                config.topicLimits(), SubscriptionIndex.DEFAULT_CACHE_SIZE, interest, session -> session.executor);
        this.retained = new RetainedStore(config.maxRetainedMessages());
        this.clock = clock;
        this.alloc = alloc;
        for (int i = 0; i < sessionLocks.length; i++) {
            sessionLocks[i] = new Object();
        }
    }

    /** Connects this broker to its cluster; set once at start, before listeners open. */
    public void cluster(ClusterLink link) {
        this.cluster = Objects.requireNonNull(link, "link");
        this.sharedByCluster = link.balancesSharedSubscriptions();
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerStats stats() {
        return stats;
    }

    public SubscriptionIndex<Session> index() {
        return index;
    }

    public RetainedStore retained() {
        return retained;
    }

    /** Open client connections on this node. */
    public int connectionCount() {
        return connections.size();
    }

    /** Sessions on this node, connected or not. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Publishes a message from any thread: stores it when retained, routes it to local subscribers and
     * forwards it to other nodes.
     *
     * @return false when it was retained but the retained store is full (it is then not routed)
     */
    public boolean publish(Message message) {
        stats.published.increment();
        if (message.retain() && !retained.put(message)) {
            return false;
        }
        cluster.forward(message);
        routeLocal(message);
        return true;
    }

    /** A message another node forwarded: stored when retained and routed to local subscribers only. */
    public void acceptRemote(Message message) {
        if (message.retain()) {
            retained.put(message);
        }
        routeLocal(message);
    }

    /** Routes to the subscribers on this node. */
    public void routeLocal(Message message) {
        Fanout fanout = new Fanout(this, message);
        index.forEachMatch(message.topic(), fanout, !sharedByCluster);
        fanout.dispatch();
    }

    /**
     * A message the cluster chose this node for, on behalf of one share group of one filter (without
     * the {@code $share/} prefix): one local member of the group gets it.
     *
     * @return false when the group has no member here any more (the message is then dropped)
     */
    public boolean acceptShared(Message message, String filter, String group) {
        Fanout fanout = new Fanout(this, message);
        boolean picked = index.pickShared(filter, group, fanout);
        fanout.dispatch();
        return picked;
    }

    /**
     * Sends a message to one client on this node whether or not it subscribed to the topic (a command's
     * answer, an OTA assignment). A persistent session that is offline keeps QoS 1 and 2 messages.
     *
     * @return false when this node has no session of that client id
     */
    public boolean sendTo(String clientId, Message message) {
        Session session = sessions.get(clientId);
        if (session == null) {
            return false;
        }
        onSessionLoop(session, () -> {
            if (session.ended) {
                return;
            }
            if (session.deliver(message, message.qos(), message.retain(), 0, null)) {
                session.link.flush();
            }
        });
        return true;
    }

    /**
     * Attaches an in-process client that has no network connection (a platform service, a benchmark's
     * in-memory subscriber) as a session of its own. Call on the link's executor; the session ends
     * with {@link #detach}.
     */
    public Session attach(String clientId, Link link) {
        Session session = new Session(clientId, this, link.executor());
        session.link = link;
        Session replaced;
        synchronized (lockFor(clientId)) {
            replaced = sessions.put(clientId, session);
        }
        if (replaced != null) {
            replaced.executor.execute(() -> retire(replaced, true));
        }
        return session;
    }

    /** Subscribes an attached session; call on its executor. */
    public void subscribe(Session session, String filter, SubscriptionOptions options) {
        TopicFilter parsed = TopicFilter.parse(filter, config.topicLimits());
        session.subscriptions.put(filter, new Session.Subscribed(parsed, options));
        index.subscribe(parsed, session, options);
    }

    /** Ends an attached session; call on its executor. */
    public void detach(Session session) {
        session.link = null;
        end(session);
    }

    /** The client connection of a session on this node, if connected. */
    public ClientHandle client(String clientId) {
        Session session = sessions.get(clientId);
        Link link = session == null ? null : session.link;
        return link instanceof ClientHandle handle ? handle : null;
    }

    /** Disconnects every client with Server shutting down. */
    public void shutdown() {
        for (ClientConnection connection : connections) {
            connection
                    .executor()
                    .execute(() -> connection.disconnect(0x8B, "server_shutdown", CloseCause.SERVER_SHUTDOWN));
        }
    }

    /** The connections, for the host's shutdown and metrics. */
    public Collection<ClientConnection> connections() {
        return connections;
    }

    void added(ClientConnection connection) {
        connections.add(connection);
    }

    void removed(ClientConnection connection) {
        connections.remove(connection);
    }

    /** The flusher of an event loop; one per loop for the broker's lifetime. */
    Flusher flusher(EventExecutor executor) {
        return flushers.computeIfAbsent(executor, Flusher::new);
    }

    /** A delivery whose session moved to another loop while the fan-out was under way. */
    void redirect(Session session, Message message, SubscriptionOptions options) {
        onSessionLoop(session, () -> {
            if (session.ended) {
                return;
            }
            int qos = Math.min(message.qos(), options.qos());
            boolean retain = options.retainAsPublished() && message.retain();
            if (session.deliver(message, qos, retain, options.subscriptionId(), null)) {
                session.link.flush();
            }
        });
    }

    /** Runs an action on the session's loop, following the session if it moves meanwhile. */
    void onSessionLoop(Session session, Runnable action) {
        EventExecutor executor = session.executor;
        if (executor.inEventLoop()) {
            action.run();
        } else {
            executor.execute(() -> onSessionLoop(session, action));
        }
    }

    // ---- sessions ----------------------------------------------------------------------------------

    /**
     * Opens the session of a client id for a connection that was just admitted: a new one, or the
     * existing one taken over (from this node or, through the cluster, from another). The callback runs
     * on the connection's loop with the session and whether it was present.
     */
    void open(ClientConnection connection, String clientId, boolean cleanStart, BiConsumer<Session, Boolean> then) {
        cluster.takeOver(clientId, cleanStart).whenComplete((snapshot, failure) -> {
            if (failure != null) {
                snapshot = null; // the other node did not answer: start from what this node has
            }
            openLocal(connection, clientId, cleanStart, snapshot, then);
        });
    }

    private void openLocal(
            ClientConnection connection,
            String clientId,
            boolean cleanStart,
            SessionSnapshot snapshot,
            BiConsumer<Session, Boolean> then) {
        EventExecutor target = connection.executor();
        Session old;
        Session fresh = null;
        synchronized (lockFor(clientId)) {
            old = sessions.get(clientId);
            if (old == null || cleanStart) {
                fresh = new Session(clientId, this, target);
                fresh.claimant = connection;
                sessions.put(clientId, fresh);
            } else {
                old.claimant = connection;
            }
        }
        if (fresh != null) {
            events.sessionStarted(clientId);
            Session session = fresh;
            if (old != null) {
                old.executor.execute(() -> retire(old, true));
            }
            target.execute(() -> {
                boolean restored = !cleanStart && snapshot != null && restore(session, snapshot);
                then.accept(session, restored);
            });
            return;
        }
        // Resume: the session leaves its old connection and its old loop, then joins the new one.
        old.executor.execute(() -> {
            Link previous = old.link;
            if (previous instanceof ClientConnection oldConnection && previous != connection) {
                oldConnection.takenOver();
            }
            if (old.ended) {
                // The old connection had no session expiry, so its session ended with it just now (or
                // ended meanwhile): there is nothing to resume, and the new connection gets a session
                // of its own rather than one that is out of the map and skipped by every fan-out.
                openLocal(connection, clientId, cleanStart, snapshot, then);
                return;
            }
            cancelTimers(old);
            old.pendingWill = null; // reconnected before the will delay passed: no will (MQTT 5 §3.1.3.2.2)
            old.executor = target;
            // The index keeps each subscription's loop for the fan-out (see Fanout.visit): move it too.
            old.subscriptions
                    .values()
                    .forEach(subscribed -> index.subscribe(subscribed.filter(), old, subscribed.options()));
            target.execute(() -> then.accept(old, true));
        });
    }

    /**
     * Called on the session's loop when its connection is gone.
     *
     * @param policy the policy of the connection that set the will; it decides the will when it goes out
     */
    void detached(Session session, Message will, long willDelaySeconds, ClientPolicy policy) {
        session.link = null;
        if (will != null) {
            long delay = Math.min(willDelaySeconds, session.expirySeconds);
            session.willPolicy = policy;
            if (delay <= 0) {
                publishWill(will, policy);
            } else {
                session.pendingWill = will;
                session.willTimer = session.executor.schedule(
                        () -> {
                            Message pending = session.pendingWill;
                            session.pendingWill = null;
                            if (pending != null) {
                                publishWill(pending, session.willPolicy);
                            }
                        },
                        delay,
                        TimeUnit.SECONDS);
            }
        }
        if (session.expirySeconds <= 0) {
            end(session);
        } else {
            session.expiryTimer = session.executor.schedule(
                    () -> {
                        if (session.link == null && !session.ended) {
                            end(session);
                        }
                    },
                    session.expirySeconds,
                    TimeUnit.SECONDS);
        }
    }

    /**
     * A will is a PUBLISH made on its client's behalf, so the client's policy decides it like any other:
     * otherwise a client could have the broker publish where it may not (another device's topic, a
     * {@code $} topic). For a delayed will the policy is asked after its connection closed.
     */
    private void publishWill(Message will, ClientPolicy policy) {
        PublishVerdict verdict;
        try {
            verdict = policy == null ? PublishVerdict.ROUTE : policy.onPublish(will);
        } catch (RuntimeException failure) {
            events.rejected("will_failed", policy.describe());
            return;
        }
        if (verdict.refused()) {
            events.rejected("will_not_allowed", policy.describe());
            return;
        }
        stats.willsPublished.increment();
        if (verdict.route()) {
            publish(will);
        }
    }

    /** Ends a session replaced by a Clean Start connection: its connection is cut, its state dropped. */
    private void retire(Session session, boolean takenOver) {
        if (session.link instanceof ClientConnection connection && takenOver) {
            connection.takenOver();
        }
        end(session);
    }

    /** Ends a session on its loop: subscriptions leave the index, a pending will goes out now. */
    void end(Session session) {
        if (session.ended) {
            return;
        }
        session.ended = true;
        cancelTimers(session);
        synchronized (lockFor(session.clientId)) {
            sessions.remove(session.clientId, session);
        }
        events.sessionEnded(session.clientId);
        for (Session.Subscribed subscribed : session.subscriptions.values()) {
            index.unsubscribe(subscribed.filter(), session);
        }
        session.subscriptions.clear();
        session.clearState();
        Message will = session.pendingWill;
        ClientPolicy willPolicy = session.willPolicy;
        session.pendingWill = null;
        session.willPolicy = null;
        if (will != null) {
            publishWill(will, willPolicy);
        }
    }

    private static void cancelTimers(Session session) {
        if (session.expiryTimer != null) {
            session.expiryTimer.cancel(false);
            session.expiryTimer = null;
        }
        if (session.willTimer != null) {
            session.willTimer.cancel(false);
            session.willTimer = null;
        }
    }

    /**
     * Hands a session to another node: its state, then its end here (subscriptions leave, connection
     * cut). Called by the cluster link for a client that connects elsewhere; completes on the session's
     * loop.
     */
    public java.util.concurrent.CompletionStage<SessionSnapshot> release(String clientId, boolean cleanStart) {
        java.util.concurrent.CompletableFuture<SessionSnapshot> result = new java.util.concurrent.CompletableFuture<>();
        Session session = sessions.get(clientId);
        if (session == null) {
            result.complete(null);
            return result;
        }
        onSessionLoop(session, () -> {
            if (session.ended) {
                result.complete(null);
                return;
            }
            SessionSnapshot snapshot = cleanStart ? null : snapshot(session);
            if (session.link instanceof ClientConnection connection) {
                connection.takenOver();
            }
            session.pendingWill = null; // the session lives on elsewhere
            end(session);
            result.complete(snapshot);
        });
        return result;
    }

    private SessionSnapshot snapshot(Session session) {
        List<SessionSnapshot.SubscriptionEntry> subscriptions = new ArrayList<>();
        session.subscriptions.forEach((raw, subscribed) ->
                subscriptions.add(new SessionSnapshot.SubscriptionEntry(raw, subscribed.options())));
        return new SessionSnapshot(session.clientId, session.expirySeconds, subscriptions, session.pendingMessages());
    }

    private boolean restore(Session session, SessionSnapshot snapshot) {
        session.expirySeconds = snapshot.expirySeconds();
        for (SessionSnapshot.SubscriptionEntry entry : snapshot.subscriptions()) {
            TopicFilter filter = TopicFilter.parse(entry.filter(), config.topicLimits());
            session.subscriptions.put(entry.filter(), new Session.Subscribed(filter, entry.options()));
            index.subscribe(filter, session, entry.options());
        }
        session.restoreQueue(snapshot.queued());
        return true;
    }

    private Object lockFor(String clientId) {
        return sessionLocks[(clientId.hashCode() & 0x7fffffff) % sessionLocks.length];
    }
}
