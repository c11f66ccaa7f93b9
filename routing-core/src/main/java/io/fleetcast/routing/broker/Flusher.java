package io.fleetcast.routing.broker;

import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;

/**
 * Flushes the links an event loop wrote to, once, after the tasks already queued on the loop. Fan-out
 * batches only write; the first write to a link marks it and the first mark schedules this task, so
 * a loop that runs several batches in a row (a publisher sending fast, several publishers) flushes
 * each socket once for all of them: one system call instead of one per message.
 *
 * <p>Confined to its event loop.
 */
final class Flusher implements Runnable {

    private final EventExecutor executor;
    private Link[] links = new Link[64];
    private int count;
    private boolean scheduled;

    Flusher(EventExecutor executor) {
        this.executor = executor;
    }

    /** Call on the loop after writing to the link. */
    void add(Link link) {
        if (!link.markForFlush()) {
            return; // already waiting for this flush
        }
        if (count == links.length) {
            links = Arrays.copyOf(links, count * 2);
        }
        links[count++] = link;
        if (!scheduled) {
            scheduled = true;
            executor.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        Link[] flushing = links;
        int n = count;
        count = 0;
        for (int i = 0; i < n; i++) {
            Link link = flushing[i];
            flushing[i] = null;
            link.flush();
        }
        if (links.length > 4096 && n < links.length / 4) {
            links = new Link[64]; // do not keep a million-entry array after one huge fan-out
        }
    }
}
