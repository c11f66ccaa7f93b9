package io.fleetcast.agent.internal;

import java.time.Duration;

/**
 * The agent thread. Every state change of the agent runs here, so the agent's classes need no locks;
 * callbacks from the MQTT client's threads are handed over with {@link #execute}.
 */
interface Scheduler {

    /** Runs the task on the agent thread, after the tasks already queued. */
    void execute(Runnable task);

    /** Runs the task on the agent thread after the delay, unless cancelled first. */
    Cancellable schedule(Runnable task, Duration delay);

    /** Monotonic time, for measuring how long a connection stayed up. */
    long nanoTime();

    /** True when called on the agent thread, where waiting for the agent thread would deadlock. */
    boolean isAgentThread();

    /** Stops the agent thread; later tasks are dropped. */
    void shutdown();

    /** A scheduled task. */
    interface Cancellable {
        void cancel();
    }
}
