package io.fleetcast.agent.lwm2m;

import java.net.URI;

/**
 * What the LwM2M Firmware Update object (/5) needs from the device's updater: fetch a package from the
 * Package URI, then install it when the server executes Update. The agent's own implementation
 * ({@code SlotPackageInstaller}) verifies the package and installs it into the inactive A/B slot with
 * the code the MQTT updater uses, then reboots.
 *
 * <p>Both methods run on the firmware object's own worker thread and may block. A cancel (an empty
 * Package URI written by the server) interrupts that thread: implementations stop and throw.
 */
public interface PackageInstaller {

    /**
     * Downloads the package completely.
     *
     * @throws PackageException with the LwM2M reason the download failed for
     * @throws InterruptedException when canceled
     */
    void download(URI uri) throws PackageException, InterruptedException;

    /**
     * Installs the package downloaded last.
     *
     * @return the firmware version running after an install that needed no reboot, or null when the
     *     device reboots into the new firmware: the object then stays Updating, and the agent sets the
     *     Update Result at its next start, once the new firmware passed (or failed) its health check
     * @throws PackageException with the LwM2M reason the install failed for
     */
    String install() throws PackageException, InterruptedException;
}
