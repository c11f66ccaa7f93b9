package io.fleetcast.agent.internal.ota;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A separate process that installs into the inactive slot the way the updater does, and is killed in
 * the middle of writing it (see {@link PowerCutTest}).
 */
public final class PowerCutChild {

    public static void main(String[] args) throws Exception {
        DirectorySlotManager slots = new DirectorySlotManager(Path.of(args[0]), "a", "1.0.0");
        slots.boot();
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 0x42);
        try (OutputStream out = slots.openInactive()) {
            for (int i = 0; i < 5; i++) {
                out.write(chunk);
                out.flush();
            }
            System.out.println("WRITING");
            System.out.flush();
            // Holds the slot half written until the test kills this process: the test never writes to
            // standard input, so this blocks without a sleep and without racing the kill.
            System.in.read();
        }
    }
}
