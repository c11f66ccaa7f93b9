package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentConfig;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ReportedState;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks an {@link AgentConfig}; every message names the key an operator has to fix. */
public final class ConfigValidation {

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl");

    /** MQTT encodes keep-alive in two bytes; zero would switch keep-alive off. */
    private static final long MAX_KEEP_ALIVE_SECONDS = 65_535;

    /** A version the protocol accepts, to check the other fields of a report one at a time. */
    private static final String SOME_VERSION = "0";

    private ConfigValidation() {}

    public static List<String> problems(AgentConfig config) {
        List<String> problems = new ArrayList<>();
        checkServerUri(config.serverUri(), problems);
        config.claimToken().ifPresent(token -> checkClaimToken(token, problems));
        checkSerial(config.serial(), problems);
        checkState(config, problems);
        if (config.stateDir() == null) {
            problems.add(ConfigKeys.describe(ConfigKeys.STATE_DIR) + " is required");
        }
        checkDurations(config, problems);
        checkTls(config, problems);
        checkLwm2m(config, problems);
        return problems;
    }

    /** {@code claimId.***}: the claim id helps support, the secret must never reach a log. */
    public static String maskClaimToken(String token) {
        if (token == null) {
            return null;
        }
        int separator = token.indexOf(Credentials.CLAIM_TOKEN_SEPARATOR);
        return (separator < 0 ? "" : token.substring(0, separator + 1)) + "***";
    }

    private static void checkServerUri(String value, List<String> problems) {
        String key = ConfigKeys.describe(ConfigKeys.SERVER_URI);
        if (value == null || value.isBlank()) {
            problems.add(key + " is required, e.g. tcp://mqtt.example.com:1883 or ssl://mqtt.example.com:8883");
            return;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                problems.add(key + " must look like tcp://host:port or ssl://host:port, not '" + value + "'");
            }
        } catch (URISyntaxException e) {
            problems.add(key + " is not a valid URI: " + e.getMessage());
        }
    }

    private static void checkClaimToken(String token, List<String> problems) {
        int separator = token.indexOf(Credentials.CLAIM_TOKEN_SEPARATOR);
        if (separator <= 0 || separator == token.length() - 1) {
            // The value itself stays out of the message: it is a secret.
            problems.add(ConfigKeys.describe(ConfigKeys.CLAIM_TOKEN) + " must look like <claimId>.<secret>");
        }
    }

    private static void checkSerial(String serial, List<String> problems) {
        String key = ConfigKeys.describe(ConfigKeys.SERIAL);
        if (serial == null) {
            problems.add(key + " is required");
        } else if (!ProvisionRequest.SERIAL.matcher(serial).matches()) {
            problems.add(key + " must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter"
                    + " or digit, not '" + serial + "'");
        }
    }

    /**
     * Checks each reported field on its own through {@link ReportedState#problems()}, so that the
     * protocol module stays the one definition of what a valid report is.
     */
    private static void checkState(AgentConfig config, List<String> problems) {
        if (config.firmwareVersion() == null) {
            problems.add(ConfigKeys.describe(ConfigKeys.FIRMWARE_VERSION) + " is required");
        } else {
            check(ConfigKeys.FIRMWARE_VERSION, new ReportedState(config.firmwareVersion(), null, null, null), problems);
        }
        if (config.activeSlot() == null) {
            problems.add(ConfigKeys.describe(ConfigKeys.ACTIVE_SLOT) + " must not be empty");
        } else {
            check(ConfigKeys.ACTIVE_SLOT, new ReportedState(SOME_VERSION, config.activeSlot(), null, null), problems);
        }
        check(ConfigKeys.APPS, new ReportedState(SOME_VERSION, null, config.apps(), null), problems);
        check(ConfigKeys.CAPABILITIES, new ReportedState(SOME_VERSION, null, null, config.capabilities()), problems);
    }

    private static void check(String key, ReportedState state, List<String> problems) {
        for (String problem : state.problems()) {
            problems.add(ConfigKeys.describe(key) + ": " + problem);
        }
    }

    private static void checkTls(AgentConfig config, List<String> problems) {
        if (config.tlsMode() == AgentConfig.TlsMode.CERTIFICATE
                && config.serverUri() != null
                && !config.serverUri().startsWith("ssl://")) {
            problems.add(ConfigKeys.describe(ConfigKeys.SERVER_URI) + " must be ssl://host:port when "
                    + ConfigKeys.TLS_MODE + " is certificate");
        }
        config.tlsTrust().ifPresent(trust -> {
            if (!Files.isReadable(trust)) {
                problems.add(ConfigKeys.describe(ConfigKeys.TLS_TRUST) + " is not a readable file: " + trust);
            }
        });
        double fraction = config.rotateRemaining();
        if (!(fraction > 0 && fraction < 1)) {
            problems.add(
                    ConfigKeys.describe(ConfigKeys.TLS_ROTATE_REMAINING) + " must be between 0 and 1, not " + fraction);
        }
    }

    private static void checkLwm2m(AgentConfig config, List<String> problems) {
        if (config.transport() != AgentConfig.Transport.LWM2M) {
            return;
        }
        if (config.tlsMode() != AgentConfig.TlsMode.CERTIFICATE) {
            problems.add(ConfigKeys.describe(ConfigKeys.TLS_MODE) + " must be certificate when " + ConfigKeys.TRANSPORT
                    + " is lwm2m: the device registers with its certificate");
        }
        if (config.lwm2mServerUri() == null || !config.lwm2mServerUri().startsWith("coaps://")) {
            problems.add(ConfigKeys.describe(ConfigKeys.LWM2M_SERVER_URI) + " must be coaps://host:port when "
                    + ConfigKeys.TRANSPORT + " is lwm2m");
        }
        if (config.lwm2mServerCertificate().isEmpty()
                || !Files.isReadable(config.lwm2mServerCertificate().get())) {
            problems.add(ConfigKeys.describe(ConfigKeys.LWM2M_SERVER_CERTIFICATE) + " must be a readable PEM file when "
                    + ConfigKeys.TRANSPORT + " is lwm2m");
        }
        long lifetime = config.lwm2mLifetime().toSeconds();
        if (lifetime < 30) {
            problems.add(
                    ConfigKeys.describe(ConfigKeys.LWM2M_LIFETIME_SECONDS) + " must be at least 30, not " + lifetime);
        }
    }

    private static void checkDurations(AgentConfig config, List<String> problems) {
        long keepAlive = config.keepAlive().toSeconds();
        if (keepAlive < 1 || keepAlive > MAX_KEEP_ALIVE_SECONDS) {
            problems.add(ConfigKeys.describe(ConfigKeys.KEEP_ALIVE_SECONDS) + " must be between 1 and "
                    + MAX_KEEP_ALIVE_SECONDS + ", not " + keepAlive);
        }
        Duration initial = config.reconnectInitialDelay();
        Duration max = config.reconnectMaxDelay();
        if (initial.toMillis() < 1) {
            problems.add(ConfigKeys.describe(ConfigKeys.RECONNECT_INITIAL_DELAY_MS) + " must be at least 1, not "
                    + initial.toMillis());
        } else if (max.compareTo(initial) < 0) {
            problems.add(ConfigKeys.describe(ConfigKeys.RECONNECT_MAX_DELAY_MS) + " must be at least "
                    + ConfigKeys.RECONNECT_INITIAL_DELAY_MS + " (" + initial.toMillis() + "), not " + max.toMillis());
        }
        if (config.provisionTimeout().isNegative() || config.provisionTimeout().isZero()) {
            problems.add("provision timeout must be positive");
        }
    }
}
