package io.fleetcast.agent.internal.ota;

import static org.awaitility.Awaitility.await;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.lwm2m.Lwm2mFirmware;
import io.fleetcast.agent.ota.ForwardingSlotManager;
import io.fleetcast.agent.ota.SlotManager;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.argument.Arguments;

/**
 * A separate process that installs a package through LwM2M object 5 into slots that write slowly, and
 * is killed in the middle of writing (see {@link Lwm2mFirmwareUpdateTest}). Arguments: state
 * directory, trusted key PEM, package URI.
 */
public final class Lwm2mPowerCutChild {

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        AgentConfig config = Lwm2mFirmwareUpdateTest.config(stateDir, Path.of(args[1]))
                .slotManager(new SlowSlots(new DirectorySlotManager(stateDir, "a", "1.0.0")))
                .build();
        Lwm2mFirmware firmware = Lwm2mFirmware.boot(config);
        firmware.firmware()
                .setModel(org.eclipse.leshan.core.model.ObjectLoader.loadDefault().stream()
                        .filter(model -> model.id == 5)
                        .findFirst()
                        .orElseThrow());
        firmware.firmware().write(LwM2mServer.SYSTEM, true, 1, LwM2mSingleResource.newStringResource(1, args[2]));
        await().atMost(Duration.ofMinutes(1)).until(() -> Lwm2mFirmwareUpdateTest.read(firmware.firmware(), 3) == 2);
        firmware.firmware().execute(LwM2mServer.SYSTEM, 2, Arguments.emptyArguments());
        new CountDownLatch(1).await(); // until killed
    }

    /** Slots that say when the first 64 KB went in, and then stall: the power is cut there. */
    private static final class SlowSlots extends ForwardingSlotManager {

        SlowSlots(SlotManager slots) {
            super(slots);
        }

        @Override
        public OutputStream openInactive() throws IOException {
            return new FilterOutputStream(slots.openInactive()) {
                private long written;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    out.flush();
                    written += len;
                    if (written >= 64 * 1024) {
                        System.out.println("WRITING");
                        System.out.flush();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted mid-write", e);
                        }
                    }
                }
            };
        }
    }
}
