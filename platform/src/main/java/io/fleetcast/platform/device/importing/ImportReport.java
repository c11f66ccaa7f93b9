package io.fleetcast.platform.device.importing;

import java.util.List;

/**
 * The outcome of a bulk pre-registration.
 *
 * @param rows data rows read
 * @param created devices registered (0 when an atomic import had errors)
 * @param rejected rows refused
 * @param errors the first {@link DeviceImporter#MAX_REPORTED_ERRORS} row errors, in line order
 * @param errorsTruncated whether more errors occurred than are listed
 * @param rolledBack whether an atomic import was rolled back because of errors
 */
public record ImportReport(
        long rows, long created, long rejected, List<RowError> errors, boolean errorsTruncated, boolean rolledBack) {}
