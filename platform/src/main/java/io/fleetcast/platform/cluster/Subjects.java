package io.fleetcast.platform.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The NATS subjects of a cluster: MQTT topics and filters mapped level by level onto NATS tokens.
 *
 * <ul>
 *   <li>{@code <prefix>.m.<levels>}: messages on topics that do not start with {@code $};
 *   <li>{@code <prefix>.d.<levels>}: messages on {@code $} topics. A separate root because NATS
 *       wildcards match any token, while an MQTT filter that starts with a wildcard must never match
 *       a {@code $} topic (MQTT 5 §4.7.2): {@code #} becomes {@code <prefix>.m.>}, which cannot reach
 *       the {@code d} root;
 *   <li>{@code <prefix>.r.m.<levels>} and {@code <prefix>.r.d.<levels>}: retained messages, which
 *       every node takes so that a later subscriber on any node finds them;
 *   <li>{@code <prefix>.s.<client id in base64url>}: the node that holds a client's session;
 *   <li>shared subscriptions use the message and retained subjects of their filter, in a NATS queue
 *       group named after the share group ({@link #queue}), so NATS picks one node per message;
 *   <li>{@code <prefix>.sync.retained}: a starting node asks a peer for the retained messages.
 * </ul>
 *
 * <p>A level becomes one token. NATS splits on {@code .}, treats {@code *} and {@code >} tokens as
 * wildcards and forbids empty tokens and whitespace, while all of these are ordinary in MQTT. So
 * {@code .}, {@code *}, {@code >}, whitespace, control characters and the escape character {@code ~}
 * itself are written as {@code ~} and two hex digits (every character that needs it is ASCII), and
 * an empty level is a lone {@code ~}. The mapping is one to one, so a subscriber turns the subject
 * back into the topic.
 */
final class Subjects {

    private static final char ESCAPE = '~';
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;
    private final String messages;
    private final String dollarMessages;
    private final String retained;
    private final String sessions;

    Subjects(String prefix) {
        if (prefix.isEmpty() || prefix.contains(" ") || prefix.endsWith(".")) {
            throw new IllegalArgumentException("bad subject prefix: " + prefix);
        }
        this.prefix = prefix;
        this.messages = prefix + ".m.";
        this.dollarMessages = prefix + ".d.";
        this.retained = prefix + ".r.";
        this.sessions = prefix + ".s.";
    }

    /** The subject a message on this topic is published on. */
    String topic(String topic) {
        return root(topic) + levels(topic);
    }

    /** The subject a retained message on this topic is published on; every node subscribes to it. */
    String retainedTopic(String topic) {
        return retained + topic(topic).substring(prefix.length() + 1);
    }

    /** What every node subscribes to for retained messages. */
    String allRetained() {
        return retained + ">";
    }

    /** The request subject for retained messages at start. */
    String retainedSync() {
        return prefix + ".sync.retained";
    }

    /** The subject of the node that holds a client's session. */
    String session(String clientId) {
        return sessions
                + Base64.getUrlEncoder().withoutPadding().encodeToString(clientId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The subjects a node subscribes to for a filter (without any {@code $share/} prefix): one, or two
     * for a filter ending in {@code /#}, which also matches its parent level, something NATS's
     * {@code >} (one or more tokens) does not do.
     */
    List<String> filter(String filter) {
        String root = root(filter);
        List<String> subjects = new ArrayList<>(2);
        if (filter.equals("#")) {
            subjects.add(root + ">");
            return subjects;
        }
        if (filter.endsWith("/#")) {
            String parent = filter.substring(0, filter.length() - 2);
            String mapped = root + levels(parent);
            subjects.add(mapped);
            subjects.add(mapped + ".>");
            return subjects;
        }
        subjects.add(root + levels(filter));
        return subjects;
    }

    /** As {@link #filter}, for the retained copies of the messages the filter matches. */
    List<String> retainedFilter(String filter) {
        List<String> subjects = filter(filter);
        subjects.replaceAll(subject -> retained + subject.substring(prefix.length() + 1));
        return subjects;
    }

    /**
     * The NATS queue group of an MQTT share group. Encoded because a share name may hold characters
     * a queue name may not (spaces); one NATS queue group per subject and name, as MQTT has one share
     * group per filter and name.
     */
    static String queue(String shareGroup) {
        return "share-"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(shareGroup.getBytes(StandardCharsets.UTF_8));
    }

    /** The topic of a message subject or retained subject, or null when the subject is not one. */
    String topicOf(String subject) {
        String rest;
        if (subject.startsWith(messages)) {
            rest = subject.substring(messages.length());
        } else if (subject.startsWith(dollarMessages)) {
            rest = subject.substring(dollarMessages.length());
        } else if (subject.startsWith(retained + "m.") || subject.startsWith(retained + "d.")) {
            rest = subject.substring(retained.length() + 2);
        } else {
            return null;
        }
        StringBuilder topic = new StringBuilder(rest.length());
        int start = 0;
        while (true) {
            int dot = rest.indexOf('.', start);
            String token = dot < 0 ? rest.substring(start) : rest.substring(start, dot);
            unescape(token, topic);
            if (dot < 0) {
                return topic.toString();
            }
            topic.append('/');
            start = dot + 1;
        }
    }

    // A filter's first level decides the root: only a literal "$..." level can match a $ topic.
    private String root(String topicOrFilter) {
        return topicOrFilter.startsWith("$") ? dollarMessages : messages;
    }

    /** Levels as tokens; in filters, whole-level wildcards become NATS wildcards. */
    private static String levels(String topicOrFilter) {
        StringBuilder out = new StringBuilder(topicOrFilter.length() + 8);
        int start = 0;
        while (true) {
            int slash = topicOrFilter.indexOf('/', start);
            int end = slash < 0 ? topicOrFilter.length() : slash;
            if (start > 0) {
                out.append('.');
            }
            level(topicOrFilter, start, end, out);
            if (slash < 0) {
                return out.toString();
            }
            start = slash + 1;
        }
    }

    private static void level(String s, int start, int end, StringBuilder out) {
        if (start == end) {
            out.append(ESCAPE);
            return;
        }
        if (end - start == 1 && s.charAt(start) == '+') {
            out.append('*');
            return;
        }
        if (end - start == 1 && s.charAt(start) == '#') {
            out.append('>');
            return;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '.' || c == '*' || c == '>' || c == ESCAPE) {
                out.append(ESCAPE).append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
    }

    private static void unescape(String token, StringBuilder out) {
        if (token.length() == 1 && token.charAt(0) == ESCAPE) {
            return; // an empty level
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == ESCAPE && i + 2 < token.length()) {
                out.append((char) Integer.parseInt(token, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
    }
}
