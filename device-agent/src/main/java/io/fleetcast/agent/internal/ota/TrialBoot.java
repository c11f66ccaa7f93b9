package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.agent.ota.SlotManager;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One boot of the device as far as updates care: lets the slot manager decide which slot runs, commits
 * a trial slot once the transport's health check passes, and gives the trial up (and reboots into the
 * committed slot) when the check does not pass in time. Both transports use it; they differ only in
 * how they tell the platform the outcome.
 */
public final class TrialBoot implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrialBoot.class.getName());

    /** Told, on this object's thread, how a trial ended (now or at an earlier boot). */
    @FunctionalInterface
    public interface Outcomes {
        /** @param runningVersion the version the device runs now */
        void ended(SlotManager.Outcome outcome, String runningVersion);
    }

    private final SlotManager slots;
    private final RebootHook reboot;
    private final Duration healthCheckTimeout;
    private final Outcomes outcomes;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleetcast-ota-health");
        thread.setDaemon(true);
        return thread;
    });

    private volatile SlotManager.Boot decided;
    private volatile boolean checked;
    private volatile boolean settled;

    public TrialBoot(SlotManager slots, RebootHook reboot, Duration healthCheckTimeout, Outcomes outcomes) {
        this.slots = slots;
        this.reboot = reboot;
        this.healthCheckTimeout = healthCheckTimeout;
        this.outcomes = outcomes;
    }

    /** Call once at start, as a bootloader runs once per boot. */
    public SlotManager.Boot boot() throws IOException {
        SlotManager.Boot boot = slots.boot();
        decided = boot;
        if (boot.trial() != null) {
            worker.schedule(
                    () -> giveUpIfUnhealthy(boot.trial()), healthCheckTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            settled = true;
        }
        return boot;
    }

    /** What {@link #boot()} decided; null before it ran. */
    public SlotManager.Boot decided() {
        return decided;
    }

    /** The version the running slot holds, null before {@link #boot()} or when unknown. */
    public String runningVersion() {
        SlotManager.Boot boot = decided;
        return boot == null ? null : boot.activeVersion();
    }

    /** A trial slot runs that is neither committed nor given up yet: no new install may start. */
    public boolean awaitingHealthCheck() {
        return !settled;
    }

    /** The health check passed: commits a trial slot and tells how an earlier trial ended. Any thread. */
    public void healthy() {
        SlotManager.Boot boot = decided;
        if (boot == null) {
            return;
        }
        worker.execute(() -> {
            if (checked) {
                return;
            }
            checked = true;
            try {
                if (boot.trial() != null) {
                    slots.commit();
                    settled = true;
                    LOG.info(() -> "committed " + boot.trial().version() + " in slot " + boot.activeSlot());
                    outcomes.ended(
                            new SlotManager.Outcome(
                                    boot.trial().actionId(), boot.trial().version(), true),
                            boot.trial().version());
                } else if (boot.outcome() != null) {
                    outcomes.ended(boot.outcome(), boot.activeVersion());
                }
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "cannot commit the running slot", e);
            }
        });
    }

    private void giveUpIfUnhealthy(SlotManager.Trial trial) {
        if (checked) {
            return;
        }
        checked = true;
        LOG.warning(() -> trial.version() + " did not pass its health check within " + healthCheckTimeout.toSeconds()
                + " s; rolling back");
        try {
            slots.abandonTrial();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot give up the trial slot; the bootloader will", e);
        }
        reboot.reboot();
    }

    /** Waits until the commit or outcome work handed over so far is done; for tests. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        java.util.concurrent.Future<?> done = worker.submit(() -> {});
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
