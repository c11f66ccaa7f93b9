package io.fleetcast.agent;

import io.fleetcast.protocol.ProvisionError;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * Runs the agent until SIGTERM or SIGINT:
 *
 * <pre>java -jar fleetcast-device-agent-&lt;version&gt;-runnable.jar [--config agent.properties]</pre>
 *
 * Without {@code --config}, {@code FLEETCAST_*} environment variables alone configure the agent (see
 * {@link AgentConfig#load}). Exits with 2 when the configuration is invalid, and with {@link
 * io.fleetcast.agent.ota.RebootHook#EXIT_CODE} (75) to "reboot" after installing a firmware update: the
 * supervisor starts it again, and the new slot gets its trial boot.
 */
public final class Main {

    private static final String USAGE = "usage: java -jar fleetcast-device-agent-runnable.jar [--config <file>]";

    /** One line per record; the JDK default spreads each record over two. */
    private static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$s %5$s%6$s%n";

    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        Path configFile = parseArguments(args);
        AgentConfig config;
        try {
            config = AgentConfig.load(configFile, System.getenv());
        } catch (IllegalArgumentException e) {
            exit(e.getMessage());
            return;
        }

        DeviceAgent agent = DeviceAgent.create(config, new LoggingListener());
        CountDownLatch closed = new CountDownLatch(1);
        // The hook's clean DISCONNECT lets the platform record CLIENT_DISCONNECT rather than a lost connection.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agent.close();
                            closed.countDown();
                        },
                        "fleetcast-agent-shutdown"));
        try {
            agent.start();
        } catch (IllegalStateException e) {
            exit(e.getMessage());
            return;
        }
        System.out.println("fleetcast device agent started: serial " + config.serial() + ", server "
                + config.serverUri() + ", state in " + config.stateDir());
        awaitUninterruptibly(closed);
    }

    private static Path parseArguments(String[] args) {
        if (args.length == 0) {
            return null;
        }
        if (args.length == 2 && args[0].equals("--config")) {
            return Path.of(args[1]);
        }
        if (args.length == 1 && args[0].startsWith("--config=")) {
            return Path.of(args[0].substring("--config=".length()));
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            System.exit(0);
        }
        exit("unexpected arguments\n" + USAGE);
        return null;
    }

    private static void exit(String message) {
        System.err.println("fleetcast-agent: " + message);
        System.exit(2);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // Only the shutdown hook ends the agent.
            }
        }
    }

    /** One log line per lifecycle event. */
    private static final class LoggingListener implements AgentListener {

        private static final Logger LOG = Logger.getLogger(Main.class.getName());

        @Override
        public void provisioned(String deviceId) {
            LOG.info(() -> "provisioned as device " + deviceId);
        }

        @Override
        public void provisioningRejected(ProvisionError error, String message) {
            LOG.warning(() -> "provisioning rejected: " + error + (message == null ? "" : " (" + message + ")"));
        }

        @Override
        public void connected(String deviceId) {
            LOG.info(() -> "connected as device " + deviceId);
        }

        @Override
        public void disconnected(String reason) {
            LOG.info(() -> "disconnected: " + reason);
        }

        @Override
        public void connectionRefused(int reasonCode, String reason) {
            LOG.warning(() -> String.format("connection refused: 0x%02X %s", reasonCode, reason));
        }

        @Override
        public void updateConsentRequested(String actionId, String version) {
            // The plain jar has no screen to ask on; a TV integration shows a dialog and answers.
            LOG.warning(() -> "update " + version + " (action " + actionId + ") waits for consent; set"
                    + " ota.auto-consent=true or answer through DeviceAgent.acceptUpdate");
        }
    }
}
