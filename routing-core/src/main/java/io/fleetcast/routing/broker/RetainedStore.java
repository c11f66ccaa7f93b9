package io.fleetcast.routing.broker;

import io.fleetcast.routing.TopicFilter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The retained message of each topic, in a trie by level so that a wildcard subscription finds its
 * retained messages by walking only the branches its filter allows, not every retained topic.
 *
 * <p>Reads walk concurrent maps without locking; writes take the store's lock, so a delete that cuts
 * empty nodes never races with a put below them. Retained writes are far rarer than reads. A
 * retained message with an empty payload deletes the topic's message (MQTT 5 §3.3.1.3). Bounded by
 * a maximum count; beyond it new topics are refused (replacing an existing message is always allowed).
 */
public final class RetainedStore {

    private final Node root = new Node(null, null);
    private final AtomicInteger count = new AtomicInteger();
    private final int maxMessages;

    public RetainedStore(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    /**
     * Stores or deletes the retained message of the message's topic.
     *
     * @return false when the store is full and the topic had no retained message yet
     */
    public synchronized boolean put(Message message) {
        String[] levels = message.topic().split("/", -1);
        boolean delete = message.payload().length == 0;
        Node node = root;
        for (String level : levels) {
            Node parent = node;
            node = delete
                    ? parent.children.get(level)
                    : parent.children.computeIfAbsent(level, name -> new Node(parent, name));
            if (node == null) {
                return true; // nothing retained there to delete
            }
        }
        Message previous = node.message;
        if (delete) {
            node.message = null;
            if (previous != null) {
                count.decrementAndGet();
            }
            prune(node);
            return true;
        }
        if (previous == null && count.get() >= maxMessages) {
            prune(node);
            return false;
        }
        if (previous == null) {
            count.incrementAndGet();
        }
        node.message = message.withoutOrigin().withRetain(true);
        return true;
    }

    /** Calls the consumer with every retained message whose topic the filter matches. */
    public void forEachMatch(TopicFilter filter, Consumer<Message> consumer) {
        String[] levels = filter.filter().split("/", -1);
        walk(root, levels, 0, consumer);
    }

    /** Retained messages held. */
    public int size() {
        return count.get();
    }

    private static void walk(Node node, String[] levels, int depth, Consumer<Message> consumer) {
        if (depth == levels.length) {
            emit(node, consumer);
            return;
        }
        String level = levels[depth];
        // A filter starting with a wildcard never matches a topic starting with '$' (MQTT 5 §4.7.2).
        boolean skipDollar = depth == 0;
        if (level.equals("#")) {
            if (depth > 0) {
                emit(node, consumer); // "a/#" also matches "a"
            }
            node.children.forEach((name, child) -> {
                if (!(skipDollar && name.startsWith("$"))) {
                    emitAll(child, consumer);
                }
            });
        } else if (level.equals("+")) {
            node.children.forEach((name, child) -> {
                if (!(skipDollar && name.startsWith("$"))) {
                    walk(child, levels, depth + 1, consumer);
                }
            });
        } else {
            Node child = node.children.get(level);
            if (child != null) {
                walk(child, levels, depth + 1, consumer);
            }
        }
    }

    private static void emitAll(Node node, Consumer<Message> consumer) {
        emit(node, consumer);
        node.children.values().forEach(child -> emitAll(child, consumer));
    }

    private static void emit(Node node, Consumer<Message> consumer) {
        Message message = node.message;
        if (message != null) {
            consumer.accept(message);
        }
    }

    /** Cuts empty leaves on the way up, so deleted topics do not keep their nodes. Under the lock. */
    private static void prune(Node node) {
        while (node.parent != null && node.message == null && node.children.isEmpty()) {
            node.parent.children.remove(node.name, node);
            node = node.parent;
        }
    }

    private static final class Node {
        final Node parent;
        final String name;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Message message;

        Node(Node parent, String name) {
            this.parent = parent;
            this.name = name;
        }
    }
}
