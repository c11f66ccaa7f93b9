package io.fleetcast.agent;

import io.fleetcast.agent.internal.ConfigKeys;
import io.fleetcast.agent.internal.ConfigSource;
import io.fleetcast.agent.internal.ConfigValidation;
import io.fleetcast.agent.ota.RebootHook;
import io.fleetcast.agent.ota.SlotManager;
import io.fleetcast.protocol.InstalledApp;
import io.fleetcast.protocol.ReportedState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the agent reaches the platform, who the device is, and what it reports about itself. Immutable;
 * build one with {@link #builder()} or read one with {@link #load(Path, Map)}.
 */
public final class AgentConfig {

    private final String serverUri;
    private final String claimToken;
    private final String serial;
    private final String firmwareVersion;
    private final String activeSlot;
    private final List<String> capabilities;
    private final List<InstalledApp> apps;
    private final Path stateDir;
    private final Duration keepAlive;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final Duration provisionTimeout;
    private final TlsMode tlsMode;
    private final Path tlsTrust;
    private final double rotateRemaining;
    private final String hardwareModel;
    private final List<Path> otaTrustedKeys;
    private final boolean otaAutoConsent;
    private final Duration otaHealthCheckTimeout;
    private final SlotManager slotManager;
    private final RebootHook rebootHook;

    /** How the device proves who it is when it connects. */
    public enum TlsMode {
        /** Client id and credential (password) from provisioning. Works over tcp:// and ssl://. */
        TOKEN,
        /**
         * A certificate the platform issues at provisioning for a key generated on the device (mutual TLS,
         * ssl:// only). Renewed on its own before it runs out.
         */
        CERTIFICATE
    }

    private AgentConfig(Builder builder) {
        this.serverUri = builder.serverUri;
        this.claimToken = builder.claimToken;
        this.serial = builder.serial;
        this.firmwareVersion = builder.firmwareVersion;
        this.activeSlot = builder.activeSlot;
        this.capabilities = builder.capabilities;
        this.apps = builder.apps;
        this.stateDir = builder.stateDir;
        this.keepAlive = builder.keepAlive;
        this.reconnectInitialDelay = builder.reconnectInitialDelay;
        this.reconnectMaxDelay = builder.reconnectMaxDelay;
        this.provisionTimeout = builder.provisionTimeout;
        this.tlsMode = builder.tlsMode;
        this.tlsTrust = builder.tlsTrust;
        this.rotateRemaining = builder.rotateRemaining;
        this.hardwareModel = builder.hardwareModel;
        this.otaTrustedKeys = builder.otaTrustedKeys;
        this.otaAutoConsent = builder.otaAutoConsent;
        this.otaHealthCheckTimeout = builder.otaHealthCheckTimeout;
        this.slotManager = builder.slotManager;
        this.rebootHook = builder.rebootHook;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the configuration from a properties file and the environment. An environment variable
     * {@code FLEETCAST_<KEY>} (key upper-cased, {@code .} and {@code -} replaced by {@code _}, e.g.
     * {@code FLEETCAST_SERVER_URI}) overrides the key in the file; blank values count as unset.
     *
     * <p>Keys: {@code server.uri}, {@code claim.token}, {@code device.serial}, {@code
     * device.firmware-version}, {@code device.active-slot}, {@code device.capabilities} (comma list),
     * {@code device.apps} (comma list of {@code id:version}), {@code state.dir}, {@code
     * keep-alive-seconds}, {@code reconnect.initial-delay-ms}, {@code reconnect.max-delay-ms}. Defaults
     * are those of {@link Builder}.
     *
     * @param propertiesFile the file, or {@code null} to read the environment only
     * @param env usually {@link System#getenv()}
     * @throws IllegalArgumentException listing every problem, each naming its key, when the file cannot
     *     be read or a value is missing or invalid
     */
    public static AgentConfig load(Path propertiesFile, Map<String, String> env) {
        ConfigSource source = ConfigSource.read(propertiesFile, env);
        Builder builder = builder();
        source.string(ConfigKeys.SERVER_URI).ifPresent(builder::serverUri);
        source.string(ConfigKeys.CLAIM_TOKEN).ifPresent(builder::claimToken);
        source.string(ConfigKeys.SERIAL).ifPresent(builder::serial);
        source.string(ConfigKeys.FIRMWARE_VERSION).ifPresent(builder::firmwareVersion);
        source.string(ConfigKeys.ACTIVE_SLOT).ifPresent(builder::activeSlot);
        source.list(ConfigKeys.CAPABILITIES).ifPresent(builder::capabilities);
        source.apps(ConfigKeys.APPS).ifPresent(builder::apps);
        source.string(ConfigKeys.STATE_DIR).map(Path::of).ifPresent(builder::stateDir);
        source.number(ConfigKeys.KEEP_ALIVE_SECONDS).map(Duration::ofSeconds).ifPresent(builder::keepAlive);
        source.number(ConfigKeys.RECONNECT_INITIAL_DELAY_MS)
                .map(Duration::ofMillis)
                .ifPresent(builder::reconnectInitialDelay);
        source.number(ConfigKeys.RECONNECT_MAX_DELAY_MS).map(Duration::ofMillis).ifPresent(builder::reconnectMaxDelay);
        List<String> problems = new ArrayList<>(source.problems());
        source.string(ConfigKeys.TLS_MODE).ifPresent(mode -> {
            try {
                builder.tlsMode(TlsMode.valueOf(mode.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(ConfigKeys.TLS_MODE + " (" + ConfigKeys.envName(ConfigKeys.TLS_MODE)
                        + ") must be token or certificate, not '" + mode + "'");
            }
        });
        source.string(ConfigKeys.TLS_TRUST).map(Path::of).ifPresent(builder::tlsTrust);
        source.string(ConfigKeys.HARDWARE_MODEL).ifPresent(builder::hardwareModel);
        source.list(ConfigKeys.OTA_TRUSTED_KEYS)
                .map(files -> files.stream().map(Path::of).toList())
                .ifPresent(builder::otaTrustedKeys);
        source.string(ConfigKeys.OTA_AUTO_CONSENT).ifPresent(value -> {
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                builder.otaAutoConsent(Boolean.parseBoolean(value));
            } else {
                problems.add(ConfigKeys.OTA_AUTO_CONSENT + " (" + ConfigKeys.envName(ConfigKeys.OTA_AUTO_CONSENT)
                        + ") must be true or false, not '" + value + "'");
            }
        });
        source.number(ConfigKeys.OTA_HEALTH_CHECK_TIMEOUT_SECONDS)
                .map(Duration::ofSeconds)
                .ifPresent(builder::otaHealthCheckTimeout);
        source.string(ConfigKeys.TLS_ROTATE_REMAINING).ifPresent(fraction -> {
            try {
                builder.rotateRemaining(Double.parseDouble(fraction));
            } catch (NumberFormatException e) {
                problems.add(
                        ConfigKeys.TLS_ROTATE_REMAINING + " (" + ConfigKeys.envName(ConfigKeys.TLS_ROTATE_REMAINING)
                                + ") must be a fraction such as 0.33, not '" + fraction + "'");
            }
        });
        return builder.build(problems);
    }

    /** {@code tcp://host:port} or {@code ssl://host:port}. */
    public String serverUri() {
        return serverUri;
    }

    /** {@code <claimId>.<secret>}; needed only until the device is provisioned. */
    public Optional<String> claimToken() {
        return Optional.ofNullable(claimToken);
    }

    public String serial() {
        return serial;
    }

    public String firmwareVersion() {
        return firmwareVersion;
    }

    public String activeSlot() {
        return activeSlot;
    }

    public List<String> capabilities() {
        return capabilities;
    }

    public List<InstalledApp> apps() {
        return apps;
    }

    /** Where the agent keeps its credential. */
    public Path stateDir() {
        return stateDir;
    }

    public Duration keepAlive() {
        return keepAlive;
    }

    public Duration reconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** How long to wait for the platform's answer to a provisioning request. */
    public Duration provisionTimeout() {
        return provisionTimeout;
    }

    /** By default {@link TlsMode#TOKEN}. */
    public TlsMode tlsMode() {
        return tlsMode;
    }

    /**
     * PEM file of the certificates to trust for the server of an {@code ssl://} URI (its CA or its own
     * certificate). Empty: the JVM's default trust.
     */
    public Optional<Path> tlsTrust() {
        return Optional.ofNullable(tlsTrust);
    }

    /** In certificate mode, a new certificate is requested once less than this part of its lifetime is left. */
    public double rotateRemaining() {
        return rotateRemaining;
    }

    /** The device's hardware model, matched against a bundle's models. Empty: every bundle is refused. */
    public Optional<String> hardwareModel() {
        return Optional.ofNullable(hardwareModel);
    }

    /** PEM public keys that OTA bundles must be signed with. Empty: every bundle is refused. */
    public List<Path> otaTrustedKeys() {
        return otaTrustedKeys;
    }

    /** Install updates that ask for consent without asking. By default true. */
    public boolean otaAutoConsent() {
        return otaAutoConsent;
    }

    /** How long a newly installed slot may take to reach the platform before the agent rolls back. */
    public Duration otaHealthCheckTimeout() {
        return otaHealthCheckTimeout;
    }

    /** The device's slots; empty means A/B directories under the state directory. */
    public Optional<SlotManager> slotManager() {
        return Optional.ofNullable(slotManager);
    }

    /** Reboots the device after an install; by default {@link RebootHook#exitProcess()}. */
    public RebootHook rebootHook() {
        return rebootHook;
    }

    /** The state the device reports until the application calls {@link DeviceAgent#reportState}. */
    public ReportedState initialState() {
        return new ReportedState(firmwareVersion, activeSlot, apps, capabilities);
    }

    /** Leaves out the claim secret, so the config can be logged. */
    @Override
    public String toString() {
        return "AgentConfig[serverUri=" + serverUri
                + ", claimToken=" + ConfigValidation.maskClaimToken(claimToken)
                + ", serial=" + serial
                + ", firmwareVersion=" + firmwareVersion
                + ", activeSlot=" + activeSlot
                + ", capabilities=" + capabilities
                + ", apps=" + apps
                + ", stateDir=" + stateDir
                + ", keepAlive=" + keepAlive
                + ", reconnectInitialDelay=" + reconnectInitialDelay
                + ", reconnectMaxDelay=" + reconnectMaxDelay
                + ", provisionTimeout=" + provisionTimeout
                + ", tlsMode=" + tlsMode
                + ", tlsTrust=" + tlsTrust
                + ", rotateRemaining=" + rotateRemaining
                + ", hardwareModel=" + hardwareModel
                + ", otaTrustedKeys=" + otaTrustedKeys
                + ", otaAutoConsent=" + otaAutoConsent
                + ", otaHealthCheckTimeout=" + otaHealthCheckTimeout
                + "]";
    }

    /** Builds an {@link AgentConfig}. Server URI, serial, firmware version and state dir are required. */
    public static final class Builder {

        private String serverUri;
        private String claimToken;
        private String serial;
        private String firmwareVersion;
        private String activeSlot = "a";
        private List<String> capabilities = List.of();
        private List<InstalledApp> apps = List.of();
        private Path stateDir;
        private Duration keepAlive = Duration.ofSeconds(60);
        private Duration reconnectInitialDelay = Duration.ofSeconds(1);
        private Duration reconnectMaxDelay = Duration.ofSeconds(60);
        private Duration provisionTimeout = Duration.ofSeconds(30);
        private TlsMode tlsMode = TlsMode.TOKEN;
        private Path tlsTrust;
        private double rotateRemaining = 1.0 / 3;
        private String hardwareModel;
        private List<Path> otaTrustedKeys = List.of();
        private boolean otaAutoConsent = true;
        private Duration otaHealthCheckTimeout = Duration.ofMinutes(5);
        private SlotManager slotManager;
        private RebootHook rebootHook = RebootHook.exitProcess();

        private Builder() {}

        /** {@code tcp://host:port} or {@code ssl://host:port}. Required. */
        public Builder serverUri(String serverUri) {
            this.serverUri = serverUri;
            return this;
        }

        /** {@code <claimId>.<secret>}. Required until the device has a stored credential. */
        public Builder claimToken(String claimToken) {
            this.claimToken = claimToken;
            return this;
        }

        /** The serial printed on the device. Required. */
        public Builder serial(String serial) {
            this.serial = serial;
            return this;
        }

        /** The version of the running OS image. Required. */
        public Builder firmwareVersion(String firmwareVersion) {
            this.firmwareVersion = firmwareVersion;
            return this;
        }

        /** The slot the device booted from. By default {@code a}. */
        public Builder activeSlot(String activeSlot) {
            this.activeSlot = activeSlot;
            return this;
        }

        /** By default none. */
        public Builder capabilities(List<String> capabilities) {
            this.capabilities = List.copyOf(capabilities);
            return this;
        }

        /** Installed mini-apps. By default none. */
        public Builder apps(List<InstalledApp> apps) {
            this.apps = List.copyOf(apps);
            return this;
        }

        /** Where the credential is kept; created when missing. Required. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** MQTT keep-alive. By default 60 seconds. */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /** First reconnect delay, before jitter. By default 1 second. */
        public Builder reconnectInitialDelay(Duration delay) {
            this.reconnectInitialDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Longest reconnect delay, before jitter. By default 60 seconds. */
        public Builder reconnectMaxDelay(Duration delay) {
            this.reconnectMaxDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** How long to wait for the answer to a provisioning request. By default 30 seconds. */
        public Builder provisionTimeout(Duration timeout) {
            this.provisionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Credential or certificate. By default {@link TlsMode#TOKEN}. */
        public Builder tlsMode(TlsMode mode) {
            this.tlsMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** PEM certificates to trust for an {@code ssl://} server. By default the JVM's trust store. */
        public Builder tlsTrust(Path pemFile) {
            this.tlsTrust = pemFile;
            return this;
        }

        /** Rotate once less than this part of the certificate's lifetime is left. By default 1/3. */
        public Builder rotateRemaining(double fraction) {
            this.rotateRemaining = fraction;
            return this;
        }

        /** The hardware model bundles must name. By default none, which refuses every bundle. */
        public Builder hardwareModel(String hardwareModel) {
            this.hardwareModel = hardwareModel;
            return this;
        }

        /** PEM files of the public keys bundles may be signed with. By default none: updates are refused. */
        public Builder otaTrustedKeys(List<Path> pemFiles) {
            this.otaTrustedKeys = List.copyOf(pemFiles);
            return this;
        }

        /**
         * Accept updates that need consent without asking the viewer. By default true; with false the agent
         * calls {@link AgentListener#updateConsentRequested} and waits for {@link DeviceAgent#acceptUpdate}.
         */
        public Builder otaAutoConsent(boolean autoConsent) {
            this.otaAutoConsent = autoConsent;
            return this;
        }

        /** How long a trial boot may take to reach the platform. By default 5 minutes. */
        public Builder otaHealthCheckTimeout(Duration timeout) {
            this.otaHealthCheckTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The device's slots. By default A/B directories under the state directory (a simulation). */
        public Builder slotManager(SlotManager slotManager) {
            this.slotManager = slotManager;
            return this;
        }

        /** What "reboot" means. By default {@link RebootHook#exitProcess()}. */
        public Builder rebootHook(RebootHook rebootHook) {
            this.rebootHook = Objects.requireNonNull(rebootHook, "rebootHook");
            return this;
        }

        /**
         * @throws IllegalArgumentException listing every missing or invalid value, each naming its key
         */
        public AgentConfig build() {
            return build(List.of());
        }

        private AgentConfig build(List<String> earlierProblems) {
            AgentConfig config = new AgentConfig(this);
            List<String> problems = new ArrayList<>(earlierProblems);
            problems.addAll(ConfigValidation.problems(config));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "invalid agent configuration:\n  - " + String.join("\n  - ", problems));
            }
            return config;
        }
    }
}
