package io.fleetcast.agent.internal;

import io.fleetcast.protocol.InstalledApp;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Raw configuration values from a properties file overridden by {@code FLEETCAST_*} environment
 * variables. Values that cannot be parsed are collected as problems instead of failing at the first, so
 * that an operator sees every mistake at once.
 */
public final class ConfigSource {

    private static final Logger LOG = Logger.getLogger(ConfigSource.class.getName());

    private final Properties file;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigSource(Properties file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /**
     * @param propertiesFile may be {@code null}: then the environment alone configures the agent
     * @throws IllegalArgumentException when the file cannot be read
     */
    public static ConfigSource read(Path propertiesFile, Map<String, String> env) {
        Properties properties = new Properties();
        if (propertiesFile != null) {
            try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read config file " + propertiesFile + ": " + e, e);
            }
            for (String name : properties.stringPropertyNames()) {
                if (!ConfigKeys.ALL.contains(name)) {
                    LOG.warning(() -> "ignoring unknown key " + name + " in " + propertiesFile);
                }
            }
        }
        return new ConfigSource(properties, Map.copyOf(env));
    }

    /** The trimmed value; the environment wins, blank counts as unset. */
    public Optional<String> string(String key) {
        return nonBlank(env.get(ConfigKeys.envName(key))).or(() -> nonBlank(file.getProperty(key)));
    }

    public Optional<Long> number(String key) {
        Optional<String> value = string(key);
        try {
            return value.map(Long::parseLong);
        } catch (NumberFormatException e) {
            problems.add(ConfigKeys.describe(key) + " must be a whole number, not '" + value.get() + "'");
            return Optional.empty();
        }
    }

    /** A comma-separated list; empty entries are dropped. */
    public Optional<List<String>> list(String key) {
        return string(key).map(value -> Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .toList());
    }

    /** A comma-separated list of {@code id:version}. */
    public Optional<List<InstalledApp>> apps(String key) {
        return list(key).map(entries -> {
            List<InstalledApp> apps = new ArrayList<>();
            for (String entry : entries) {
                int colon = entry.indexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    problems.add(ConfigKeys.describe(key) + " entries must look like id:version, not '" + entry + "'");
                } else {
                    apps.add(new InstalledApp(
                            entry.substring(0, colon).trim(),
                            entry.substring(colon + 1).trim()));
                }
            }
            return apps;
        });
    }

    /** Values that could not be parsed, each naming its key. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
