package io.fleetcast.platform.ota;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.DeviceAgent;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.agent.ota.ForwardingSlotManager;
import io.fleetcast.agent.ota.SlotManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device running the real agent in the test's JVM: its state directory with A/B slots (the factory
 * image in slot a), and a reboot that closes the agent and starts a new one on the same state
 * directory, as a device's power cycle would. Install failures are injected through the agent's
 * {@link SlotManager} SPI: the slot refuses to be written, as broken flash would.
 */
public final class SimulatedDevice implements AutoCloseable {

    private final String serial;
    private final Path stateDir;
    private final AgentConfig.Builder template;
    private final AtomicBoolean brokenFlash = new AtomicBoolean();
    private final AtomicInteger boots = new AtomicInteger();
    /** Reboots happen here, not on the agent's update thread that asks for them. */
    private final ExecutorService power;

    private DeviceAgent agent;
    private boolean closed;

    /**
     * @param template the device's settings; state directory, slots and reboot hook are set here
     * @param factoryImage written into slot a, the image deltas apply to
     */
    public SimulatedDevice(String serial, Path stateDir, AgentConfig.Builder template, byte[] factoryImage) {
        this.serial = serial;
        this.stateDir = stateDir;
        this.template = template;
        this.power = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "power-" + serial);
            thread.setDaemon(true);
            return thread;
        });
        try {
            Path image = DirectorySlotManager.imageOf(stateDir, "a");
            Files.createDirectories(image.getParent());
            Files.write(image, factoryImage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String serial() {
        return serial;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** How often the agent was started: 1, then one more per reboot. */
    public int boots() {
        return boots.get();
    }

    /** From now on, writing the inactive slot fails. */
    public void breakFlash() {
        brokenFlash.set(true);
    }

    public synchronized void start() {
        if (closed) {
            return;
        }
        boots.incrementAndGet();
        AgentConfig.Builder settings = template.stateDir(stateDir)
                .activeSlot("a")
                .rebootHook(() -> power.execute(this::reboot))
                .reconnectInitialDelay(Duration.ofMillis(200))
                .reconnectMaxDelay(Duration.ofSeconds(1));
        String factoryVersion = settings.build().firmwareVersion();
        AgentConfig config = settings.slotManager(
                        new InjectableSlots(new DirectorySlotManager(stateDir, "a", factoryVersion), brokenFlash))
                .build();
        agent = DeviceAgent.create(config, new AgentListener() {});
        agent.start();
    }

    /** The image in a slot, as the agent left it. */
    public byte[] image(String slot) throws IOException {
        return Files.readAllBytes(DirectorySlotManager.imageOf(stateDir, slot));
    }

    private synchronized void reboot() {
        if (closed) {
            return;
        }
        agent.close();
        start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (agent != null) {
            agent.close();
        }
        power.shutdownNow();
    }

    /** The default slots, whose inactive slot can be made to refuse writes. */
    private static final class InjectableSlots extends ForwardingSlotManager {

        private final AtomicBoolean broken;

        InjectableSlots(SlotManager slots, AtomicBoolean broken) {
            super(slots);
            this.broken = broken;
        }

        @Override
        public OutputStream openInactive() throws IOException {
            if (broken.get()) {
                throw new IOException("injected: the inactive slot cannot be written");
            }
            return slots.openInactive();
        }
    }
}
