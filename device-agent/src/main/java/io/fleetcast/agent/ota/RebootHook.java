package io.fleetcast.agent.ota;

/**
 * Reboots the device into the slot chosen for the next boot. Called on the agent's update thread after
 * the REBOOTING report was sent (or could not be, within a few seconds).
 *
 * <p>The runnable jar's default ends the process with {@link #EXIT_CODE}, so that a supervisor (systemd,
 * a test) starts the agent again, which then boots the trial slot.
 */
@FunctionalInterface
public interface RebootHook {

    /** Exit code of the runnable jar when it "reboots" for an update: start it again. */
    int EXIT_CODE = 75;

    void reboot();

    /** Ends the JVM with {@link #EXIT_CODE}. */
    static RebootHook exitProcess() {
        return () -> System.exit(EXIT_CODE);
    }
}
