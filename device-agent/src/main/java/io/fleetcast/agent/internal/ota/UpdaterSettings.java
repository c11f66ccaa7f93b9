package io.fleetcast.agent.internal.ota;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.agent.internal.ConfigKeys;
import io.fleetcast.ota.bundle.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the updater needs from the agent's configuration.
 *
 * @param workDir where downloads are kept while they run (resumable across restarts)
 * @param trustedKeys keys bundles must be signed with; empty refuses every bundle
 * @param hardwareModel the device's model; null refuses every bundle
 * @param autoConsent accept installs that need consent without asking
 * @param healthCheckTimeout how long a trial boot may take to reach the platform before it is given up
 * @param reportEveryPercent DOWNLOADING reports at most once per this many percent
 */
public record UpdaterSettings(
        Path workDir,
        TrustedKeys trustedKeys,
        String hardwareModel,
        boolean autoConsent,
        Duration healthCheckTimeout,
        int reportEveryPercent) {

    /** The settings of an agent: downloads under {@code <state>/ota}, progress every 10 %. */
    public static UpdaterSettings of(AgentConfig config) {
        TrustedKeys keys;
        try {
            keys = TrustedKeys.load(config.otaTrustedKeys());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + ConfigKeys.OTA_TRUSTED_KEYS + ": " + e.getMessage(), e);
        }
        return new UpdaterSettings(
                config.stateDir().resolve("ota"),
                keys,
                config.hardwareModel().orElse(null),
                config.otaAutoConsent(),
                config.otaHealthCheckTimeout(),
                10);
    }
}
