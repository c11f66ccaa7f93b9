package io.fleetcast.agent.internal.ota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.ota.SlotManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed (SIGKILL) while writing the inactive slot leaves the device on its working slot. */
class PowerCutTest {

    @TempDir
    Path stateDir;

    @Test
    void killed_mid_write_boots_the_committed_slot_and_never_the_half_written_one() throws Exception {
        // A completed earlier update: slot b holds 2.0.0 and is committed, slot a holds 1.0.0.
        Path slots = Files.createDirectories(stateDir.resolve("slots"));
        Files.writeString(
                slots.resolve(DirectorySlotManager.STATE_FILE),
                "{\"committedSlot\":\"b\",\"versions\":{\"a\":\"1.0.0\",\"b\":\"2.0.0\"},\"antiRollback\":4}");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        PowerCutChild.class.getName(),
                        stateDir.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("WRITING")) {
                // startup output
            }
            assertThat(line).isEqualTo("WRITING");
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush, like a power cut
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.size(DirectorySlotManager.imageOf(stateDir, "a"))).isPositive();

        SlotManager.Boot boot = new DirectorySlotManager(stateDir, "a", "1.0.0").boot();

        assertThat(boot).isEqualTo(new SlotManager.Boot("b", "2.0.0", null, null));
        // Slot a lost its version: it can no longer be named as a known-good image.
        assertThat(Files.readString(slots.resolve(DirectorySlotManager.STATE_FILE)))
                .doesNotContain("1.0.0");
    }
}
