package io.fleetcast.agent.internal.ota;

import io.fleetcast.protocol.OtaReport;
import java.util.concurrent.CompletableFuture;

/** Where the updater's reports go: the device connection, or a test's list. Callable from any thread. */
public interface OtaReports {

    /**
     * Sends the report (QoS 1) now or, when offline, as soon as the device is connected again.
     *
     * @return completes when the platform acknowledged it; completes exceptionally when it was refused
     */
    CompletableFuture<Void> publish(OtaReport report);
}
