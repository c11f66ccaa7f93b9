package io.fleetcast.agent.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;

/**
 * The agent thread, played by the test thread: tasks run at once (queued while another runs, as on a
 * real single thread), timers run when the test advances the clock. Deterministic, no sleeping.
 */
final class ManualScheduler implements Scheduler {

    private final Queue<Runnable> queue = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private final List<Duration> scheduledDelays = new ArrayList<>();
    private boolean running;
    private boolean shutdown;
    private long now;

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            return;
        }
        queue.add(task);
        if (running) {
            return;
        }
        running = true;
        try {
            for (Runnable next = queue.poll(); next != null; next = queue.poll()) {
                next.run();
            }
        } finally {
            running = false;
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Timer timer = new Timer(now + delay.toNanos(), task);
        timers.add(timer);
        scheduledDelays.add(delay);
        return () -> timers.remove(timer);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public boolean isAgentThread() {
        return running;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        timers.clear();
    }

    /** Moves the clock by {@code time} without firing timers. */
    void elapse(Duration time) {
        now += time.toNanos();
    }

    /** Moves the clock to the earliest timer and runs it. */
    void runNextTimer() {
        Timer next = timers.stream()
                .min(Comparator.comparingLong(Timer::due))
                .orElseThrow(() -> new AssertionError("no timer pending"));
        timers.remove(next);
        now = Math.max(now, next.due());
        execute(next.task());
    }

    int pendingTimers() {
        return timers.size();
    }

    /** The delay of the timer scheduled last. */
    Duration lastDelay() {
        if (scheduledDelays.isEmpty()) {
            throw new AssertionError("nothing scheduled");
        }
        return scheduledDelays.get(scheduledDelays.size() - 1);
    }

    private record Timer(long due, Runnable task) {}
}
