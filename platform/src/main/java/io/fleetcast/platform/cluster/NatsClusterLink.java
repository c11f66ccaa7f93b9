package io.fleetcast.platform.cluster;

import io.fleetcast.routing.InterestListener;
import io.fleetcast.routing.broker.Broker;
import io.fleetcast.routing.broker.ClusterLink;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.SessionSnapshot;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * This node's part of the shared routing space, over NATS core (decision 0006).
 *
 * <p><b>Routes.</b> For every filter with local subscribers the node holds one NATS subscription
 * (two for {@code a/#}), whatever the number of local subscribers: the index reports a filter's first
 * and last subscription through {@link InterestListener}, and subjects are reference counted because
 * two filters may share one ({@code a} and {@code a/#}). A message published here goes out once on
 * its topic's subject, and NATS hands one copy to each node with a matching route. A node that dies
 * loses its NATS connection and NATS drops its routes itself.
 *
 * <p><b>Sessions.</b> The node subscribes to the session subject of every client id it holds a
 * session for. A CONNECT asks that subject: the holder releases the session and answers with its
 * state; when no node holds it, NATS answers "no responders" at once, so the common CONNECT waits one
 * round trip to NATS and no timeout.
 *
 * <p><b>Threads.</b> Index and broker callbacks only queue work on one route thread, which owns the
 * reference counts and the NATS subscribe calls: the index calls {@link #added} under its write lock,
 * where nothing may block. Remote messages arrive on one NATS dispatcher thread.
 *
 * <p>Two NATS connections: messages go over one that never receives its own publications (no echo),
 * so a node does not get back its own broadcasts; requests go over another, which can answer itself
 * when a stale session route points back at this node.
 */
public final class NatsClusterLink implements ClusterLink, InterestListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NatsClusterLink.class);

    private static final byte[] NOTHING = new byte[0];

    private final Subjects subjects;
    private final String nodeName;
    private final Duration unsubscribeDelay;
    private final Duration requestTimeout;
    /** Tells this start's frames from any other node's (and from this node's earlier runs). */
    private final long incarnation = new SecureRandom().nextLong();

    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService routeThread;

    // Changed by the route thread only; concurrent so that metrics may read its size.
    private final Map<String, Integer> routeCounts = new ConcurrentHashMap<>();
    // Owned by the route thread.
    private final Map<String, ScheduledFuture<?>> pendingUnsubscribes = new HashMap<>();
    private final Map<Long, Long> lastSequence = new HashMap<>(); // dispatcher thread only
    private final Map<String, List<Subscription>> sharedRoutes = new HashMap<>();

    /** Client ids with a session here, with how many (a Clean Start briefly holds two). */
    private final Map<String, Integer> localSessions = new ConcurrentHashMap<>();

    final LongAdder forwarded = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder forwardFailures = new LongAdder();
    final LongAdder sessionsResumed = new LongAdder();
    final LongAdder sessionsHandedOver = new LongAdder();
    final LongAdder takeoverFailures = new LongAdder();
    final LongAdder sharedLost = new LongAdder();

    private volatile Connection messages;
    private volatile Connection control;
    private volatile Dispatcher routes;
    private volatile Dispatcher sessions;
    private volatile Dispatcher shared;
    private volatile Broker broker;

    NatsClusterLink(String prefix, String nodeName, Duration unsubscribeDelay, Duration requestTimeout) {
        this.subjects = new Subjects(prefix);
        this.nodeName = nodeName;
        this.unsubscribeDelay = unsubscribeDelay;
        this.requestTimeout = requestTimeout;
        this.routeThread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "fleetcast-cluster-routes");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects to NATS; call before the broker exists, so no interest is reported before routes can be held. */
    void connect(String url) throws IOException, InterruptedException {
        messages = Nats.connect(options(url, "messages").noEcho().build());
        // "No responders" as a failure of its own, so a CONNECT can tell "no node holds the session"
        // (the usual case, silent) from "the holder did not answer in time" (worth a warning).
        control = Nats.connect(options(url, "control").reportNoResponders().build());
        routes = messages.createDispatcher(this::onRemote);
        sessions = control.createDispatcher(this::onTakeOverRequest);
        shared = control.createDispatcher();
        LOG.infof("Cluster link connected to NATS %s as node %s", url, nodeName);
    }

    /**
     * Starts serving the broker: takes the cluster's retained messages from a peer, then follows
     * retained messages, answers takeover requests and answers the next starting node.
     */
    void attach(Broker broker) {
        this.broker = broker;
        routes.subscribe(subjects.allRetained());
        try {
            // NATS has the subscription before the peer answers: a message retained meanwhile
            // arrives live rather than falling between the peer's answer and the subscription.
            messages.flush(requestTimeout);
        } catch (TimeoutException e) {
            LOG.warn("NATS did not confirm the retained-message subscription in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RetainedTransfer transfer = new RetainedTransfer(control, subjects.retainedSync(), requestTimeout);
        transfer.fetchInto(broker.retained());
        // A queue group: one peer answers a starting node, not all of them.
        control.createDispatcher(request -> transfer.answer(request, broker.retained()))
                .subscribe(subjects.retainedSync(), "retained-sync");
    }

    boolean isConnected() {
        Connection m = messages;
        Connection c = control;
        return m != null
                && c != null
                && m.getStatus() == Connection.Status.CONNECTED
                && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** NATS subjects held for routes (after reference counting). */
    int routesHeld() {
        return routeCounts.size();
    }

    int sessionsHeld() {
        return localSessions.size();
    }

    // ---- routes ------------------------------------------------------------------------------------

    @Override
    public void added(String filter) {
        onRouteThread(() -> subjects.filter(filter).forEach(this::hold));
    }

    @Override
    public void removed(String filter) {
        onRouteThread(() -> subjects.filter(filter).forEach(this::letGo));
    }

    private void hold(String subject) {
        if (routeCounts.merge(subject, 1, Integer::sum) > 1) {
            return;
        }
        ScheduledFuture<?> pending = pendingUnsubscribes.remove(subject);
        if (pending != null) {
            pending.cancel(false); // still subscribed: the route came back within the delay
            return;
        }
        routes.subscribe(subject);
    }

    private void letGo(String subject) {
        Integer left = routeCounts.merge(subject, -1, Integer::sum);
        if (left == null || left > 0) {
            return;
        }
        routeCounts.remove(subject);
        // Damps churn: a viewer zapping away and back (or the last device of a filter reconnecting)
        // does not cost an UNSUB and a SUB that NATS would propagate to every server.
        pendingUnsubscribes.put(
                subject,
                routeThread.schedule(
                        () -> {
                            pendingUnsubscribes.remove(subject);
                            routes.unsubscribe(subject);
                        },
                        unsubscribeDelay.toMillis(),
                        TimeUnit.MILLISECONDS));
    }

    // ---- shared subscriptions ----------------------------------------------------------------------

    /**
     * The broker leaves share groups to this link: each group (filter and share name) is a NATS queue
     * group over the nodes with members, so one node, and there one member, gets each message.
     */
    @Override
    public boolean balancesSharedSubscriptions() {
        return true;
    }

    @Override
    public void sharedAdded(String filter, String group) {
        onRouteThread(() -> {
            List<Subscription> held = new ArrayList<>(4);
            String queue = Subjects.queue(group);
            List<String> all = new ArrayList<>(subjects.filter(filter));
            all.addAll(subjects.retainedFilter(filter));
            for (String subject : all) {
                held.add(shared.subscribe(subject, queue, message -> onShared(message, filter, group)));
            }
            sharedRoutes.put(group + '/' + filter, held);
        });
    }

    @Override
    public void sharedRemoved(String filter, String group) {
        // At once, not damped: while a node stays in a queue group without members, NATS keeps
        // choosing it and the messages it gets are lost.
        onRouteThread(() -> {
            List<Subscription> held = sharedRoutes.remove(group + '/' + filter);
            if (held != null) {
                held.forEach(shared::unsubscribe);
            }
        });
    }

    /** On the shared dispatcher thread: NATS chose this node for one message of a share group. */
    private void onShared(io.nats.client.Message nats, String filter, String group) {
        Broker target = broker;
        String topic = subjects.topicOf(nats.getSubject());
        if (target == null || topic == null) {
            return;
        }
        try {
            Message message = Frames.readMessage(topic, nats.getData()).message();
            // Retained copies are stored through the retained route; here they are only routed.
            if (!target.acceptShared(message, filter, group)) {
                sharedLost.increment();
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("Dropping a malformed shared message on %s: %s", nats.getSubject(), e.getMessage());
        }
    }

    // ---- forwarding --------------------------------------------------------------------------------

    @Override
    public void forward(Message message) {
        Connection connection = messages;
        if (connection == null) {
            return;
        }
        String subject = message.retain() ? subjects.retainedTopic(message.topic()) : subjects.topic(message.topic());
        try {
            connection.publish(subject, Frames.message(incarnation, sequence.incrementAndGet(), message));
            forwarded.increment();
        } catch (RuntimeException e) {
            // Never fail the publisher for the cluster: the local subscribers still get the message.
            forwardFailures.increment();
            long failures = forwardFailures.sum();
            if ((failures & (failures - 1)) == 0) { // the 1st, 2nd, 4th, 8th...: visible, not a flood
                LOG.warnf("Cannot forward to the cluster (%d so far) topic=%s: %s", failures, message.topic(), e);
            }
        }
    }

    /** On the dispatcher thread: a message from another node, or a retained one. */
    private void onRemote(io.nats.client.Message nats) {
        Broker target = broker;
        String topic = subjects.topicOf(nats.getSubject());
        if (target == null || topic == null) {
            return;
        }
        Frames.Forwarded forwarded;
        try {
            forwarded = Frames.readMessage(topic, nats.getData());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Dropping a malformed cluster message on %s: %s", nats.getSubject(), e.getMessage());
            return;
        }
        // Overlapping routes (a/+ and a/b) each get a copy of one publication, and NATS sends a
        // publisher's copies to one connection back to back: the same sequence twice is a duplicate.
        Long previous = lastSequence.put(forwarded.sender(), forwarded.sequence());
        if (previous != null && previous == forwarded.sequence()) {
            duplicates.increment();
            return;
        }
        received.increment();
        target.acceptRemote(forwarded.message());
    }

    // ---- sessions ----------------------------------------------------------------------------------

    /** A session began here: answer for its client id. Called on an event loop. */
    void sessionStarted(String clientId) {
        onRouteThread(() -> {
            if (localSessions.merge(clientId, 1, Integer::sum) == 1) {
                sessions.subscribe(subjects.session(clientId));
            }
        });
    }

    /** A session ended here. Called on an event loop. */
    void sessionEnded(String clientId) {
        onRouteThread(() -> {
            Integer left = localSessions.merge(clientId, -1, Integer::sum);
            if (left != null && left <= 0) {
                localSessions.remove(clientId);
                sessions.unsubscribe(subjects.session(clientId));
            }
        });
    }

    @Override
    public CompletionStage<SessionSnapshot> takeOver(String clientId, boolean cleanStart) {
        Connection connection = control;
        if (connection == null || localSessions.containsKey(clientId)) {
            // The session is here (or nowhere, single node): the broker takes it over locally.
            return CompletableFuture.completedFuture(null);
        }
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            // NATS is away: no other node can answer, and jnats would hold the request until the
            // timeout. The device connects now with what this node has.
            takeoverFailures.increment();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<io.nats.client.Message> request;
        try {
            request = connection.requestWithTimeout(
                    subjects.session(clientId), takeOverRequest(clientId, cleanStart), requestTimeout);
        } catch (RuntimeException e) {
            // NATS closed (shutdown) or refusing: open the session from what this node has.
            takeoverFailures.increment();
            return CompletableFuture.completedFuture(null);
        }
        return request.handle((reply, failure) -> {
            if (failure != null) {
                if (!(unwrap(failure) instanceof JetStreamStatusException)) {
                    takeoverFailures.increment();
                    LOG.warnf("Session takeover of %s got no answer: %s", clientId, failure.toString());
                }
                return null; // no node holds the session
            }
            SessionSnapshot snapshot;
            try {
                snapshot = Frames.readSnapshot(reply.getData());
            } catch (IllegalArgumentException e) {
                takeoverFailures.increment();
                LOG.warnf("Session takeover of %s got a malformed answer: %s", clientId, e.getMessage());
                return null;
            }
            if (snapshot != null) {
                sessionsResumed.increment();
                LOG.debugf("Resumed session %s from another node", clientId);
            }
            return snapshot;
        });
    }

    private byte[] takeOverRequest(String clientId, boolean cleanStart) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(9 + id.length)
                .putLong(incarnation)
                .put((byte) (cleanStart ? 1 : 0))
                .put(id)
                .array();
    }

    /** On the session dispatcher thread: another node (or, racing, this one) opens a client's session. */
    private void onTakeOverRequest(io.nats.client.Message request) {
        String replyTo = request.getReplyTo();
        ByteBuffer body = ByteBuffer.wrap(request.getData());
        if (replyTo == null || body.remaining() < 9) {
            return;
        }
        long from = body.getLong();
        boolean cleanStart = body.get() != 0;
        String clientId = StandardCharsets.UTF_8.decode(body).toString();
        Broker target = broker;
        if (from == incarnation || target == null) {
            reply(replyTo, NOTHING); // a stale route to this node: the broker handles it locally
            return;
        }
        target.release(clientId, cleanStart).whenComplete((snapshot, failure) -> {
            if (failure != null) {
                LOG.warnf(failure, "Cannot hand session %s over", clientId);
            }
            byte[] answer = failure == null ? Frames.snapshot(snapshot) : NOTHING;
            if (snapshot != null) {
                sessionsHandedOver.increment();
            }
            reply(replyTo, answer);
        });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    /**
     * Queues work for the route thread. After {@link #close} the broker may still report sessions
     * and filters ending (its shutdown comes later); they no longer matter, and throwing into the
     * index's write lock or an event loop would.
     */
    private void onRouteThread(Runnable task) {
        try {
            routeThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // e.g. a subject over NATS's control line limit (a topic or client id of
                    // kilobytes): that one route is missing, the others go on.
                    LOG.warnf("Cluster route change failed: %s", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Cluster link closed; route change ignored");
        }
    }

    /** A reply on the control connection; failures (NATS away, link closed) only cost the asker a timeout. */
    private void reply(String replyTo, byte[] answer) {
        try {
            control.publish(replyTo, answer);
        } catch (RuntimeException e) {
            LOG.debugf("Cannot reply on %s: %s", replyTo, e.getMessage());
        }
    }

    private Options.Builder options(String url, String role) {
        return new Options.Builder()
                .server(url)
                .connectionName("fleetcast-" + nodeName + "-" + role)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionTimeout(Duration.ofSeconds(5))
                // A publisher must never block on the cluster: past this backlog forwards are dropped
                // (QoS 0 semantics across nodes, see decision 0006).
                .maxMessagesInOutgoingQueue(100_000)
                .discardMessagesWhenOutgoingQueueFull()
                .connectionListener((connection, event) -> LOG.infof("NATS %s connection: %s", role, event))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection connection, String error) {
                        LOG.warnf("NATS %s connection error: %s", role, error);
                    }

                    @Override
                    public void exceptionOccurred(Connection connection, Exception failure) {
                        // Refused reconnects come every reconnect wait while NATS is away; the
                        // connection listener already said it is disconnected.
                        if (failure instanceof IOException) {
                            LOG.debugf("NATS %s connection: %s", role, failure);
                        } else {
                            LOG.warnf(failure, "NATS %s connection failure", role);
                        }
                    }

                    @Override
                    public void slowConsumerDetected(Connection connection, io.nats.client.Consumer consumer) {
                        LOG.warnf("NATS %s connection: this node cannot keep up with the cluster", role);
                    }
                });
    }

    @Override
    public void close() {
        routeThread.shutdownNow();
        for (Connection connection : new Connection[] {messages, control}) {
            if (connection == null) {
                continue;
            }
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
