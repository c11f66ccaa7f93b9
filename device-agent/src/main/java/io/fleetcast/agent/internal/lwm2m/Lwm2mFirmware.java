package io.fleetcast.agent.internal.lwm2m;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.ota.BootedSlots;
import io.fleetcast.agent.internal.ota.DirectorySlotManager;
import io.fleetcast.agent.internal.ota.SlotPackageInstaller;
import io.fleetcast.agent.internal.ota.TrialBoot;
import io.fleetcast.agent.internal.ota.UpdaterSettings;
import io.fleetcast.agent.lwm2m.PackageException;
import io.fleetcast.agent.ota.SlotManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * Firmware over LwM2M for one boot of the device: boots the A/B slots, offers /3 with the version the
 * booted slot holds and /5 backed by {@link SlotPackageInstaller}, and turns the trial boot's outcome
 * into /5 Update Result once the health check (a successful registration, {@link #registered()})
 * passed or timed out:
 *
 * <ul>
 *   <li>trial slot committed: Idle, result 1 (success), /3 shows the new version;
 *   <li>trial given up or never committed (rolled back to the old slot): Idle, result 8 (update failed);
 *   <li>power cut while the slot was written (it was never named for a trial): Idle, result 8.
 * </ul>
 *
 * Until then /5 stays Updating, so the server sees no result early. The result stays (across restarts
 * too) until the server writes the next Package URI.
 */
public final class Lwm2mFirmware implements AutoCloseable {

    private final SlotManager slots;
    private final SlotManager.Boot boot;
    private final TrialBoot trialBoot;
    private final DeviceInstance device;
    private final FirmwareInstance firmware;

    private Lwm2mFirmware(AgentConfig config, SlotManager slots) throws IOException {
        this.slots = slots;
        this.trialBoot = new TrialBoot(slots, config.rebootHook(), config.otaHealthCheckTimeout(), this::ended);
        this.boot = trialBoot.boot();
        SlotPackageInstaller installer = new SlotPackageInstaller(
                UpdaterSettings.of(config), slots, config.rebootHook(), Clock.systemUTC(), trialBoot);
        String version = boot.activeVersion() != null ? boot.activeVersion() : config.firmwareVersion();
        this.device = new DeviceInstance("Fleetcast", config.hardwareModel().orElse("agent"), config.serial(), version);
        int updateFailed = PackageException.Reason.UPDATE_FAILED.updateResult();
        // Asked first, whatever the boot decided: it also forgets a marker the trial accounts for, which the
        // MQTT updater of this run (provisioning, on slots without trial or outcome) could not tell.
        boolean interrupted = installer.installInterrupted();
        if (boot.trial() != null) {
            firmware = new FirmwareInstance(
                    installer, device::firmwareVersion, FirmwareInstance.UPDATING, FirmwareInstance.RESULT_INITIAL);
        } else if (boot.outcome() != null) {
            firmware = new FirmwareInstance(
                    installer,
                    device::firmwareVersion,
                    FirmwareInstance.IDLE,
                    boot.outcome().committed() ? FirmwareInstance.RESULT_SUCCESS : updateFailed);
        } else if (interrupted) {
            firmware = new FirmwareInstance(installer, device::firmwareVersion, FirmwareInstance.IDLE, updateFailed);
        } else {
            firmware = new FirmwareInstance(installer, device::firmwareVersion);
        }
    }

    /**
     * Boots the slots of {@code config} (its slot manager, or A/B directories under its state
     * directory); call once per start of the device, as a bootloader runs once per boot.
     */
    public static Lwm2mFirmware boot(AgentConfig config) {
        SlotManager slots = config.slotManager()
                .orElseGet(() ->
                        new DirectorySlotManager(config.stateDir(), config.activeSlot(), config.firmwareVersion()));
        try {
            return new Lwm2mFirmware(config, slots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the slots' boot state", e);
        }
    }

    public DeviceInstance device() {
        return device;
    }

    public FirmwareInstance firmware() {
        return firmware;
    }

    /** What the slot manager decided at this boot. */
    public SlotManager.Boot decided() {
        return boot;
    }

    /** The same slots for another updater in this run, which must not boot them again. */
    public SlotManager bootedSlots() {
        return new BootedSlots(slots, boot);
    }

    /** The health check passed: the device registered with the server. Commits a trial slot. */
    public void registered() {
        trialBoot.healthy();
    }

    private void ended(SlotManager.Outcome outcome, String runningVersion) {
        device.firmwareVersion(runningVersion);
        firmware.updateEnded(
                outcome.committed()
                        ? FirmwareInstance.RESULT_SUCCESS
                        : PackageException.Reason.UPDATE_FAILED.updateResult());
    }

    /** Stops the health check timer and any download or install in progress. */
    @Override
    public void close() {
        trialBoot.close();
        firmware.close();
    }
}
