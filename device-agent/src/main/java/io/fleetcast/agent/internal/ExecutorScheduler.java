package io.fleetcast.agent.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The agent thread: one daemon thread, so an application that forgets to close the agent can still exit. */
final class ExecutorScheduler implements Scheduler {

    private static final Logger LOG = Logger.getLogger(ExecutorScheduler.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    ExecutorScheduler(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread created = new Thread(runnable, threadName);
            created.setDaemon(true);
            thread = created;
            return created;
        });
        // Reconnect timers are cancelled often; without this they stay queued until due.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // Late callbacks of the MQTT client after close() land here; there is nothing left to do.
            LOG.fine("agent closed, dropping a task");
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        try {
            ScheduledFuture<?> future = executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            LOG.fine("agent closed, dropping a timer");
            return () -> {};
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public boolean isAgentThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void shutdown() {
        executor.shutdown();
    }

    /** The executor would keep an exception in a future nobody reads; log it instead. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "unexpected failure on the agent thread", e);
            }
        };
    }
}
