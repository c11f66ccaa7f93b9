package io.fleetcast.simulators.load;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * Starts asynchronous operations from the calling thread, never more than a fixed number in flight.
 * The bound is what keeps a benchmark from opening sockets faster than the server's accept backlog
 * (somaxconn) or the file limit allow; operations themselves run on the MQTT client's threads.
 */
public final class BoundedRunner {

    private final int maxInFlight;

    public BoundedRunner(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /**
     * Runs {@code operation(0)} to {@code operation(count - 1)} and returns once all have completed.
     * An operation must record its own outcome and must always complete, normally or not (give it a
     * timeout), or this waits forever.
     */
    public void run(int count, IntFunction<? extends CompletionStage<?>> operation) throws InterruptedException {
        Semaphore permits = new Semaphore(maxInFlight);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            CompletionStage<?> stage;
            try {
                stage = operation.apply(i);
            } catch (RuntimeException | Error e) {
                permits.release();
                throw e;
            }
            stage.whenComplete((result, failure) -> permits.release());
        }
        // All permits back means every operation has completed; the semaphore also makes what they
        // recorded visible to this thread.
        permits.acquire(maxInFlight);
        permits.release(maxInFlight);
    }
}
