package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.protocol.Json;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The default {@link SlotManager}: slots {@code a} and {@code b} as directories under {@code
 * <state>/slots}, each with an {@code image} file, and a {@code boot-state.json} that {@link #boot()}
 * honours the way a bootloader honours its variables ("try slot b once; if it is not committed by the
 * next boot, go back to a").
 *
 * <p>Power cuts: the boot state is replaced atomically (temporary file, fsync, rename), and a slot is
 * only named for a trial after its image was written, synced and verified. A cut during the write
 * leaves the boot state pointing at the committed slot.
 */
public final class DirectorySlotManager implements SlotManager {

    static final String STATE_FILE = "boot-state.json";
    static final String IMAGE_FILE = "image";

    private final Path root;
    private final String factorySlot;
    private final String factoryVersion;
    private State state;
    private String running;

    /** Persisted boot state. {@code versions} holds only slots with a complete, verified image. */
    record State(
            String committedSlot,
            Map<String, String> versions,
            long antiRollback,
            PendingTrial trial,
            Outcome outcome) {}

    /** A slot named for a trial; {@code attempted} once it was booted. */
    record PendingTrial(String slot, String version, long antiRollback, String actionId, boolean attempted) {}

    /**
     * @param stateDir the agent's state directory; slots live in {@code slots/} below it
     * @param factorySlot the slot running when no boot state exists yet ({@code a} or {@code b})
     * @param factoryVersion the version in it
     */
    public DirectorySlotManager(Path stateDir, String factorySlot, String factoryVersion) {
        this.root = stateDir.resolve("slots");
        this.factorySlot = factorySlot.equals("b") ? "b" : "a";
        this.factoryVersion = factoryVersion;
    }

    /** Where a slot's image lives; tests and device images put the factory image here. */
    public static Path imageOf(Path stateDir, String slot) {
        return stateDir.resolve("slots").resolve(slot).resolve(IMAGE_FILE);
    }

    @Override
    public synchronized Boot boot() throws IOException {
        state = load();
        PendingTrial trial = state.trial();
        if (trial != null && !trial.attempted()) {
            state = new State(
                    state.committedSlot(),
                    state.versions(),
                    state.antiRollback(),
                    new PendingTrial(trial.slot(), trial.version(), trial.antiRollback(), trial.actionId(), true),
                    state.outcome());
            save();
            running = trial.slot();
            return new Boot(
                    trial.slot(), trial.version(), new Trial(trial.actionId(), trial.version()), state.outcome());
        }
        if (trial != null) {
            // Booted once and never committed: the health check failed or the new image did not come up.
            state = new State(
                    state.committedSlot(),
                    state.versions(),
                    state.antiRollback(),
                    null,
                    new Outcome(trial.actionId(), trial.version(), false));
            save();
        }
        running = state.committedSlot();
        return new Boot(running, state.versions().get(running), null, state.outcome());
    }

    @Override
    public synchronized Path activeImage() {
        return root.resolve(running()).resolve(IMAGE_FILE);
    }

    @Override
    public synchronized long antiRollbackCounter() {
        return state().antiRollback();
    }

    @Override
    public synchronized OutputStream openInactive() throws IOException {
        State current = state();
        if (current.trial() != null) {
            throw new IllegalStateException("slot " + current.trial().slot() + " awaits its health check");
        }
        String inactive = other(current.committedSlot());
        Map<String, String> versions = new HashMap<>(current.versions());
        // Unbootable before the first byte is overwritten.
        versions.remove(inactive);
        state = new State(current.committedSlot(), versions, current.antiRollback(), null, current.outcome());
        save();
        Files.createDirectories(root.resolve(inactive));
        FileOutputStream out =
                new FileOutputStream(root.resolve(inactive).resolve(IMAGE_FILE).toFile());
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try (out) {
                    out.flush();
                    out.getChannel().force(true);
                }
            }
        };
    }

    @Override
    public synchronized void markInactiveForTrial(String version, long antiRollback, String actionId)
            throws IOException {
        State current = state();
        String inactive = other(current.committedSlot());
        Map<String, String> versions = new HashMap<>(current.versions());
        versions.put(inactive, version);
        state = new State(
                current.committedSlot(),
                versions,
                current.antiRollback(),
                new PendingTrial(inactive, version, antiRollback, actionId, false),
                current.outcome());
        save();
    }

    @Override
    public synchronized void commit() throws IOException {
        State current = state();
        PendingTrial trial = current.trial();
        if (trial == null || !trial.attempted() || !trial.slot().equals(running)) {
            throw new IllegalStateException("no trial slot is running");
        }
        state = new State(
                trial.slot(),
                current.versions(),
                Math.max(current.antiRollback(), trial.antiRollback()),
                null,
                new Outcome(trial.actionId(), trial.version(), true));
        save();
    }

    @Override
    public synchronized void abandonTrial() throws IOException {
        State current = state();
        PendingTrial trial = current.trial();
        if (trial == null) {
            return;
        }
        state = new State(
                current.committedSlot(),
                current.versions(),
                current.antiRollback(),
                null,
                new Outcome(trial.actionId(), trial.version(), false));
        save();
    }

    @Override
    public synchronized void clearOutcome() throws IOException {
        State current = state();
        state = new State(current.committedSlot(), current.versions(), current.antiRollback(), current.trial(), null);
        save();
    }

    private State state() {
        if (state == null) {
            throw new IllegalStateException("boot() first");
        }
        return state;
    }

    private String running() {
        state();
        return running;
    }

    private static String other(String slot) {
        return slot.equals("a") ? "b" : "a";
    }

    private State load() throws IOException {
        Path file = root.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return new State(factorySlot, Map.of(factorySlot, factoryVersion), 0, null, null);
        }
        try {
            State loaded = Json.decode(Files.readAllBytes(file), State.class);
            return new State(
                    loaded.committedSlot(),
                    loaded.versions() == null ? Map.of() : loaded.versions(),
                    loaded.antiRollback(),
                    loaded.trial(),
                    loaded.outcome());
        } catch (Json.MalformedPayloadException e) {
            throw new IOException("damaged boot state " + file + ": " + e.getMessage(), e);
        }
    }

    private void save() throws IOException {
        Files.createDirectories(root);
        Path file = root.resolve(STATE_FILE);
        Path temporary = root.resolve(STATE_FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(Json.encode(state)));
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
