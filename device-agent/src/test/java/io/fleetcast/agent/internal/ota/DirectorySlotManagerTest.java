package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.ota.SlotManager;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated bootloader: try once, commit or fall back, and nothing bootable that is half written. */
class DirectorySlotManagerTest {

    @TempDir
    Path stateDir;

    private DirectorySlotManager reboot() throws Exception {
        DirectorySlotManager slots = new DirectorySlotManager(stateDir, "a", "1.0");
        slots.boot();
        return slots;
    }

    private void install(DirectorySlotManager slots, String version, long counter) throws Exception {
        try (OutputStream out = slots.openInactive()) {
            out.write(version.getBytes());
        }
        slots.markInactiveForTrial(version, counter, "act-" + version);
    }

    @Test
    void starts_on_the_factory_slot_without_writing_anything() throws Exception {
        SlotManager.Boot boot = new DirectorySlotManager(stateDir, "a", "1.0").boot();
        assertThat(boot).isEqualTo(new SlotManager.Boot("a", "1.0", null, null));
        assertThat(stateDir.resolve("slots")).doesNotExist();
    }

    @Test
    void trial_slot_boots_once_and_is_kept_after_commit() throws Exception {
        DirectorySlotManager slots = reboot();
        install(slots, "2.0", 3);

        DirectorySlotManager trial = new DirectorySlotManager(stateDir, "a", "1.0");
        assertThat(trial.boot())
                .isEqualTo(new SlotManager.Boot("b", "2.0", new SlotManager.Trial("act-2.0", "2.0"), null));
        assertThat(trial.activeImage()).isEqualTo(DirectorySlotManager.imageOf(stateDir, "b"));
        trial.commit();
        assertThat(trial.antiRollbackCounter()).isEqualTo(3);

        SlotManager.Boot next = new DirectorySlotManager(stateDir, "a", "1.0").boot();
        assertThat(next.activeSlot()).isEqualTo("b");
        assertThat(next.outcome()).isEqualTo(new SlotManager.Outcome("act-2.0", "2.0", true));
    }

    @Test
    void uncommitted_trial_falls_back_on_the_next_boot() throws Exception {
        install(reboot(), "2.0", 3);
        assertThat(new DirectorySlotManager(stateDir, "a", "1.0").boot().activeSlot())
                .isEqualTo("b");

        SlotManager.Boot fallback = new DirectorySlotManager(stateDir, "a", "1.0").boot();

        assertThat(fallback)
                .isEqualTo(new SlotManager.Boot("a", "1.0", null, new SlotManager.Outcome("act-2.0", "2.0", false)));
    }

    @Test
    void no_new_install_while_a_trial_awaits_its_health_check() throws Exception {
        install(reboot(), "2.0", 3);
        DirectorySlotManager trial = new DirectorySlotManager(stateDir, "a", "1.0");
        trial.boot();
        assertThatThrownBy(trial::openInactive).isInstanceOf(IllegalStateException.class);
    }
}
