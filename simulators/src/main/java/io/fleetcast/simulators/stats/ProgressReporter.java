package io.fleetcast.simulators.stats;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints one progress line per second while a phase runs, e.g.
 * {@code [3s] connect 6144/10000 2051/s failed 0 | state 6100/10000 2040/s failed 0}. Lines go to
 * the error stream so that standard output holds only the summary.
 */
public final class ProgressReporter implements AutoCloseable {

    private final PrintWriter out;
    private final List<PhaseStats> phases;
    private final long[] lastCompleted;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "progress");
        thread.setDaemon(true);
        return thread;
    });

    private ProgressReporter(PrintWriter out, List<PhaseStats> phases) {
        this.out = out;
        this.phases = List.copyOf(phases);
        this.lastCompleted = new long[phases.size()];
    }

    public static ProgressReporter start(PrintWriter out, List<PhaseStats> phases) {
        ProgressReporter reporter = new ProgressReporter(out, phases);
        reporter.timer.scheduleAtFixedRate(reporter::report, 1, 1, TimeUnit.SECONDS);
        return reporter;
    }

    /** Runs only on the timer thread, so the last-sample fields need no synchronization. */
    private void report() {
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < phases.size(); i++) {
            PhaseStats phase = phases.get(i);
            long completed = phase.completedCount();
            double rate = seconds <= 0 ? 0 : (completed - lastCompleted[i]) / seconds;
            lastCompleted[i] = completed;
            if (i > 0) {
                line.append(" | ");
            }
            line.append(segment(phase.name(), completed, phase.expected(), rate, phase.failedCount()));
        }
        lastNanos = now;
        out.println(String.format(Locale.ROOT, "[%ds] %s", TimeUnit.NANOSECONDS.toSeconds(now - startNanos), line));
        out.flush();
    }

    static String segment(String name, long completed, long expected, double ratePerSecond, long failed) {
        return String.format(
                Locale.ROOT, "%s %d/%d %.0f/s failed %d", name, completed, expected, ratePerSecond, failed);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // Lets a line being printed finish before the caller prints its summary.
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
