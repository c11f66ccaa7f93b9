package io.fleetcast.agent.internal;

import java.util.List;
import java.util.Locale;

/** The keys of the agent's properties file, and the environment variables that override them. */
public final class ConfigKeys {

    public static final String SERVER_URI = "server.uri";
    public static final String CLAIM_TOKEN = "claim.token";
    public static final String SERIAL = "device.serial";
    public static final String FIRMWARE_VERSION = "device.firmware-version";
    public static final String ACTIVE_SLOT = "device.active-slot";
    public static final String CAPABILITIES = "device.capabilities";
    public static final String APPS = "device.apps";
    public static final String STATE_DIR = "state.dir";
    public static final String KEEP_ALIVE_SECONDS = "keep-alive-seconds";
    public static final String RECONNECT_INITIAL_DELAY_MS = "reconnect.initial-delay-ms";
    public static final String RECONNECT_MAX_DELAY_MS = "reconnect.max-delay-ms";
    public static final String TLS_MODE = "tls.mode";
    public static final String TLS_TRUST = "tls.trust";
    public static final String TLS_ROTATE_REMAINING = "tls.rotate-remaining";
    public static final String HARDWARE_MODEL = "device.hardware-model";
    public static final String OTA_TRUSTED_KEYS = "ota.trusted-keys";
    public static final String OTA_AUTO_CONSENT = "ota.auto-consent";
    public static final String OTA_HEALTH_CHECK_TIMEOUT_SECONDS = "ota.health-check-timeout-seconds";

    static final List<String> ALL = List.of(
            SERVER_URI,
            CLAIM_TOKEN,
            SERIAL,
            FIRMWARE_VERSION,
            ACTIVE_SLOT,
            CAPABILITIES,
            APPS,
            STATE_DIR,
            KEEP_ALIVE_SECONDS,
            RECONNECT_INITIAL_DELAY_MS,
            RECONNECT_MAX_DELAY_MS,
            TLS_MODE,
            TLS_TRUST,
            TLS_ROTATE_REMAINING,
            HARDWARE_MODEL,
            OTA_TRUSTED_KEYS,
            OTA_AUTO_CONSENT,
            OTA_HEALTH_CHECK_TIMEOUT_SECONDS);

    private static final String ENV_PREFIX = "FLEETCAST_";

    private ConfigKeys() {}

    /** {@code server.uri} → {@code FLEETCAST_SERVER_URI} */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key with its environment variable, for messages: operators may use either. */
    static String describe(String key) {
        return key + " (" + envName(key) + ")";
    }
}
