package io.fleetcast.platform.ota;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.DeviceAgent;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.agent.ota.ForwardingSlotManager;
import io.fleetcast.agent.ota.SlotManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The real agent as its own process, configured by the same {@code FLEETCAST_*} variables as the
 * runnable jar, whose slot write stalls after its first bytes reached the inactive slot: it prints
 * {@code WRITING} and never finishes, so {@link OtaEndToEndTest} can cut the power (SIGKILL) at exactly
 * that moment.
 */
public final class PowerCutAgent {

    static final String WRITING = "WRITING";

    private PowerCutAgent() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path stateDir = Path.of(env.get("FLEETCAST_STATE_DIR"));
        String version = env.get("FLEETCAST_DEVICE_FIRMWARE_VERSION");
        AgentConfig config = AgentConfig.builder()
                .serverUri(env.get("FLEETCAST_SERVER_URI"))
                .claimToken(env.get("FLEETCAST_CLAIM_TOKEN"))
                .serial(env.get("FLEETCAST_DEVICE_SERIAL"))
                .firmwareVersion(version)
                .stateDir(stateDir)
                .hardwareModel(env.get("FLEETCAST_DEVICE_HARDWARE_MODEL"))
                .otaTrustedKeys(List.of(Path.of(env.get("FLEETCAST_OTA_TRUSTED_KEYS"))))
                .reconnectInitialDelay(Duration.ofMillis(200))
                .reconnectMaxDelay(Duration.ofSeconds(1))
                .slotManager(new StallingSlots(new DirectorySlotManager(stateDir, "a", version)))
                .build();
        DeviceAgent.create(config).start();
        new CountDownLatch(1).await(); // until killed
    }

    /** The default slots, except that the write of the inactive slot stalls after its first chunk. */
    private static final class StallingSlots extends ForwardingSlotManager {

        StallingSlots(SlotManager slots) {
            super(slots);
        }

        @Override
        public OutputStream openInactive() throws IOException {
            OutputStream slot = slots.openInactive();
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    slot.write(b, off, len);
                    slot.flush();
                    System.out.println(WRITING);
                    System.out.flush();
                    try {
                        new CountDownLatch(1).await(); // the power is cut here
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted mid-write", e);
                    }
                }

                @Override
                public void close() throws IOException {
                    slot.close();
                }
            };
        }
    }
}
