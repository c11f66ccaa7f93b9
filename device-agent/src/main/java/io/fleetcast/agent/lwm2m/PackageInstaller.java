package io.fleetcast.agent.lwm2m;

import java.net.URI;

/**
 * What the LwM2M Firmware Update object (/5) needs from the device's updater: fetch a package from the
 * Package URI, then install it when the server executes Update. The agent's OTA updater can implement
 * this; until then a plain download to a file stands in (see {@code FileDownloadInstaller}).
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
     * @return the firmware version running after the install, or null when it did not change
     * @throws PackageException with the LwM2M reason the install failed for
     */
    String install() throws PackageException, InterruptedException;
}
