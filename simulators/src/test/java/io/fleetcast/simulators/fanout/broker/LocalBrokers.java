package io.fleetcast.simulators.fanout.broker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts real brokers for tests, unpinned; skips the test when the binary is not installed. */
public final class LocalBrokers {

    private LocalBrokers() {}

    public static RunningBroker start(BrokerLauncher launcher, Path workDir) throws IOException, InterruptedException {
        String reason = launcher.unavailableReason();
        assumeTrue(reason == null, () -> "skipped: " + reason);
        BrokerSetup setup = new BrokerSetup(workDir, FreePorts.next(), "", List.of(), Duration.ofSeconds(20));
        return launcher.start(setup);
    }
}
