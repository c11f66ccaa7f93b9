package io.fleetcast.platform.device.importing;

import io.fleetcast.platform.audit.AuditAction;
import io.fleetcast.platform.audit.AuditEntry;
import io.fleetcast.platform.audit.AuditLog;
import io.fleetcast.platform.database.Ids;
import io.fleetcast.platform.device.DeviceFilter;
import io.fleetcast.protocol.ProvisionRequest;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Pre-registers devices in bulk from a streamed body. Rows are validated one by one and inserted in
 * batches with one set-based statement each, all inside one transaction: an import either commits its
 * valid rows, or (atomic, or on a failure of the database) commits nothing.
 *
 * <p>Runs on a worker thread: it reads a blocking stream and waits for each batch.
 */
@ApplicationScoped
public class DeviceImporter {

    public static final int MAX_REPORTED_ERRORS = 1000;

    private static final Logger LOG = Logger.getLogger(DeviceImporter.class);
    private static final Pattern SERIAL = ProvisionRequest.SERIAL;
    private static final Pattern TOKEN = Pattern.compile(DeviceFilter.TOKEN);
    private static final int MAX_TAGS = 32;

    // ON CONFLICT DO NOTHING skips serials the tenant already has (or that an earlier line of this
    // import registered); RETURNING tells which rows went in.
    private static final String INSERT_BATCH =
            """
            INSERT INTO devices (id, tenant_id, serial, model_id, region, tags)
            SELECT u.id, $1, u.serial, u.model_id, u.region, string_to_array(u.tags, ',')
            FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[])
                 AS u(id, serial, model_id, region, tags)
            ON CONFLICT (tenant_id, serial) DO NOTHING
            RETURNING serial
            """;

    @Inject
    Pool pool;

    @Inject
    ImportConfig config;

    @Inject
    AuditLog audit;

    /** Configuration of bulk pre-registration. */
    @ConfigMapping(prefix = "fleetcast.import")
    public interface ImportConfig {

        /** Rows inserted per statement. */
        @WithDefault("2000")
        int batchSize();

        /** Most data rows accepted in one request; later rows are rejected with TOO_MANY_ROWS. */
        @WithDefault("1000000")
        long maxRows();
    }

    public ImportReport importDevices(
            String tenantId, String actor, ImportFormat format, InputStream body, boolean atomic) {
        Map<String, UUID> models = modelIds(tenantId);
        SqlConnection connection = pool.getConnection().await().indefinitely();
        Transaction transaction = connection.begin().await().indefinitely();
        Run run = new Run(tenantId, models, connection);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            RowReader rows = RowReader.of(format, reader);
            for (RowReader.Result result = rows.next(); result != null; result = rows.next()) {
                run.accept(result);
            }
            run.flush();
            boolean rollBack = atomic && run.rejected > 0;
            if (rollBack) {
                transaction.rollback().await().indefinitely();
            } else {
                if (run.created > 0) {
                    audit.record(connection, run.auditEntry(actor, format))
                            .await()
                            .indefinitely();
                }
                transaction.commit().await().indefinitely();
            }
            LOG.infof(
                    "Device import tenantId=%s rows=%d created=%d rejected=%d rolledBack=%s",
                    tenantId, run.rows, rollBack ? 0 : run.created, run.rejected, rollBack);
            return run.report(rollBack);
        } catch (IOException e) {
            transaction.rollback().await().indefinitely();
            throw new UncheckedIOException("import body could not be read", e);
        } catch (RuntimeException e) {
            transaction.rollback().await().indefinitely();
            throw e;
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private Map<String, UUID> modelIds(String tenantId) {
        Map<String, UUID> models = new HashMap<>();
        for (Row row : pool.preparedQuery("SELECT id, name FROM device_models WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .await()
                .indefinitely()) {
            models.put(row.getString("name"), row.getUUID("id"));
        }
        return models;
    }

    /** The state of one import: the current batch and the running counts. */
    private final class Run {
        private final String tenantId;
        private final Map<String, UUID> models;
        private final SqlConnection connection;
        private final List<RowReader.Result> batch = new ArrayList<>();
        private final List<RowError> errors = new ArrayList<>();
        private long rows;
        private long created;
        private long rejected;

        Run(String tenantId, Map<String, UUID> models, SqlConnection connection) {
            this.tenantId = tenantId;
            this.models = models;
            this.connection = connection;
        }

        void accept(RowReader.Result result) {
            rows++;
            RowError error = result.error() != null ? result.error() : validate(result);
            if (error != null) {
                reject(error);
                return;
            }
            batch.add(result);
            if (batch.size() >= config.batchSize()) {
                flush();
            }
        }

        private RowError validate(RowReader.Result result) {
            ImportRow row = result.row();
            long line = result.line();
            if (rows > config.maxRows()) {
                return new RowError(line, row.serial(), "TOO_MANY_ROWS", "at most " + config.maxRows() + " rows");
            }
            if (row.serial() == null || !SERIAL.matcher(row.serial()).matches()) {
                return new RowError(
                        line,
                        row.serial(),
                        "INVALID_SERIAL",
                        "serial must be 1-64 letters, digits, '.', '_', ':' or '-'");
            }
            if (row.model() == null || !models.containsKey(row.model())) {
                return new RowError(line, row.serial(), "UNKNOWN_MODEL", "model '" + row.model() + "' does not exist");
            }
            if (row.region() != null && !TOKEN.matcher(row.region()).matches()) {
                return new RowError(line, row.serial(), "INVALID_REGION", "region must be a short token");
            }
            if (row.tags().size() > MAX_TAGS
                    || !row.tags().stream()
                            .allMatch(tag -> tag != null && TOKEN.matcher(tag).matches())) {
                return new RowError(
                        line, row.serial(), "INVALID_TAGS", "at most " + MAX_TAGS + " tags, each a short token");
            }
            return null;
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            int size = batch.size();
            UUID[] ids = new UUID[size];
            String[] serials = new String[size];
            UUID[] modelIds = new UUID[size];
            String[] regions = new String[size];
            String[] tags = new String[size];
            for (int i = 0; i < size; i++) {
                ImportRow row = batch.get(i).row();
                ids[i] = Ids.newId();
                serials[i] = row.serial();
                modelIds[i] = models.get(row.model());
                regions[i] = row.region();
                // Tags are tokens without commas, so a comma-joined string carries them through unnest.
                tags[i] = String.join(",", row.tags());
            }
            Set<String> inserted = new HashSet<>();
            connection
                    .preparedQuery(INSERT_BATCH)
                    .execute(Tuple.of(tenantId, ids, serials, modelIds, regions, tags))
                    .await()
                    .indefinitely()
                    .forEach(row -> inserted.add(row.getString(0)));
            created += inserted.size();
            for (RowReader.Result result : batch) {
                // The first line with a serial took it; any other line with it is a duplicate.
                if (!inserted.remove(result.row().serial())) {
                    reject(new RowError(
                            result.line(), result.row().serial(), "DUPLICATE_SERIAL", "serial is already registered"));
                }
            }
            batch.clear();
        }

        private void reject(RowError error) {
            rejected++;
            if (errors.size() < MAX_REPORTED_ERRORS) {
                errors.add(error);
            }
        }

        /** One event for the whole import: counts, not rows, however many devices it registered. */
        AuditEntry auditEntry(String actor, ImportFormat format) {
            JsonObject summary = new JsonObject()
                    .put("format", format == ImportFormat.CSV_FORMAT ? ImportFormat.CSV : ImportFormat.NDJSON)
                    .put("rows", rows)
                    .put("created", created)
                    .put("rejected", rejected);
            return new AuditEntry(tenantId, actor, AuditAction.DEVICES_IMPORTED, null, summary);
        }

        ImportReport report(boolean rolledBack) {
            List<RowError> sorted = new ArrayList<>(errors);
            sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
            return new ImportReport(
                    rows, rolledBack ? 0 : created, rejected, sorted, rejected > errors.size(), rolledBack);
        }
    }
}
