package io.fleetcast.platform.cluster;

import io.fleetcast.routing.TopicFilter;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.RetainedStore;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Retained messages for a node that starts: it asks one peer (a queue group, so one answers, not
 * all), which sends every retained message it holds in batches and then an empty frame. Retained
 * messages published later reach every node on their own subject.
 */
final class RetainedTransfer {

    private static final Logger LOG = Logger.getLogger(RetainedTransfer.class);

    /** Bytes per reply, well under NATS's default 1 MB payload limit. */
    private static final int BATCH_BYTES = 256 * 1024;

    private static final byte[] END = new byte[0];

    private final Connection connection;
    private final String subject;
    private final Duration timeout;

    RetainedTransfer(Connection connection, String subject, Duration timeout) {
        this.connection = connection;
        this.subject = subject;
        this.timeout = timeout;
    }

    /** Takes a peer's retained messages into the store; with no peer (the first node) none. */
    void fetchInto(RetainedStore store) {
        String inbox = connection.createInbox();
        Subscription replies = connection.subscribe(inbox);
        int count = 0;
        try {
            connection.publish(subject, inbox, END);
            while (true) {
                io.nats.client.Message reply = replies.nextMessage(timeout);
                if (reply == null) {
                    LOG.warnf("Retained messages from a peer incomplete after %s; %d taken", timeout, count);
                    return;
                }
                if (reply.isStatusMessage() || reply.getData() == null || reply.getData().length == 0) {
                    break; // no peer ("no responders"), or the end of the peer's answer
                }
                for (Message message : Frames.readRetainedBatch(reply.getData())) {
                    store.put(message);
                    count++;
                }
            }
            LOG.infof("Took %d retained messages from the cluster", count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Cannot take retained messages from the cluster", e);
        } finally {
            replies.unsubscribe();
        }
    }

    /** Answers a starting node from the store, in batches, then an empty end. */
    void answer(io.nats.client.Message request, RetainedStore store) {
        String replyTo = request.getReplyTo();
        if (replyTo == null) {
            return;
        }
        List<Message> batch = new ArrayList<>();
        int[] bytes = {0};
        // '#' leaves out $ topics (MQTT's rule for a leading wildcard); clients cannot retain on them.
        store.forEachMatch(TopicFilter.parse("#"), message -> {
            batch.add(message);
            bytes[0] += message.payload().length + message.topic().length() + 64;
            if (bytes[0] >= BATCH_BYTES) {
                send(replyTo, Frames.retainedBatch(batch));
                batch.clear();
                bytes[0] = 0;
            }
        });
        if (!batch.isEmpty()) {
            send(replyTo, Frames.retainedBatch(batch));
        }
        send(replyTo, END);
    }

    private void send(String replyTo, byte[] frame) {
        try {
            connection.publish(replyTo, frame);
        } catch (RuntimeException e) {
            LOG.debugf("Cannot answer a starting node: %s", e.getMessage());
        }
    }
}
