package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.DeltaAlgorithm;
import io.fleetcast.ota.bundle.Manifest;
import io.fleetcast.ota.bundle.PayloadCheck;
import io.fleetcast.ota.delta.Bsdiff;
import io.fleetcast.ota.delta.ZstdPatch;
import io.fleetcast.protocol.OtaState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a verified bundle's image into the inactive slot (a full payload copied, a delta applied
 * against the running slot's image), checking the signed image hash on the way, and only then names
 * the slot for one trial boot. While it writes, an {@link InstallMarker} names the action, so that a
 * power cut in the middle is known at the next start.
 */
final class SlotWriter {

    /**
     * Bytes per write into the slot: fewer system calls than the 8 KB of {@link InputStream#transferTo}.
     * Not larger: FileOutputStream copies each write over 8 KB through a native buffer it allocates
     * per call, and with 1 MB writes the updater used 0.70 s of CPU for a 200 MB image against 0.39 s
     * with 64 KB (docs/benchmarks/ota.md).
     */
    private static final int WRITE_BLOCK = 64 * 1024;

    private final SlotManager slots;
    private final InstallMarker marker;

    SlotWriter(SlotManager slots, InstallMarker marker) {
        this.slots = slots;
        this.marker = marker;
    }

    /**
     * Writes the image and marks the slot for a trial boot.
     *
     * @param actionId remembered with the trial, so its outcome can be reported after the reboot
     * @param stillWanted checked after the write: false leaves the slot written but never bootable
     */
    void install(Path bundle, BundleHeader header, String actionId, java.util.function.BooleanSupplier stillWanted)
            throws Refusal, IOException {
        Manifest manifest = header.manifest();
        marker.write(actionId);
        try {
            write(bundle, header);
            if (!stillWanted.getAsBoolean()) {
                throw new Refusal(OtaState.CANCELED, null, "cancelled during install");
            }
            slots.markInactiveForTrial(manifest.version(), manifest.antiRollback(), actionId);
        } finally {
            // Named for a trial, the trial boot tells how the action ends; failed, it is reported now.
            marker.delete();
        }
    }

    /**
     * A full bundle's payload is the image (a manifest with other hashes or lengths does not parse), so
     * it is hashed once on its way into the slot, not once as payload and again as image: on a CPU
     * without SHA instructions each pass over a 200 MB image costs seconds (docs/benchmarks/ota.md).
     */
    private void write(Path bundle, BundleHeader header) throws Refusal, IOException {
        Manifest manifest = header.manifest();
        PayloadCheck image = PayloadCheck.imageOf(manifest);
        // Opened outside the try below: a slot that cannot be opened is an install failure (INSTALL_FAILED),
        // not a delta that does not fit.
        OutputStream slot = slots.openInactive();
        try (slot;
                OutputStream out = manifest.isDelta() ? image.tee(slot) : slot) {
            if (!manifest.isDelta()) {
                try (InputStream in = Files.newInputStream(bundle)) {
                    in.skipNBytes(header.payloadOffset());
                    copy(image.wrap(in), out);
                }
            } else if (manifest.deltaAlgorithm() == DeltaAlgorithm.BSDIFF) {
                Bsdiff.apply(slots.activeImage(), bundle, header.payloadOffset(), manifest.payloadLength(), out);
            } else {
                try (InputStream in = Files.newInputStream(bundle)) {
                    in.skipNBytes(header.payloadOffset());
                    ZstdPatch.apply(
                            slots.activeImage(),
                            PayloadCheck.payloadOf(manifest).wrap(in),
                            out);
                }
            }
        } catch (IOException e) {
            if (manifest.isDelta()) {
                // A patch that does not fit the running image: the image in the slot is not the base.
                throw new Refusal(OtaState.FAILED, "HASH_MISMATCH", "the delta does not apply: " + e.getMessage());
            }
            throw e;
        }
        try {
            image.finish();
        } catch (BundleException e) {
            throw BundleCheck.refusalFor(e);
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[WRITE_BLOCK];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
    }
}
