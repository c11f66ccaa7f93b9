package io.fleetcast.platform.database;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;

/** Recognises PostgreSQL errors that the API turns into conflicts. */
public final class PgErrors {

    private PgErrors() {}

    public static boolean isUniqueViolation(Throwable e) {
        return hasSqlState(e, "23505");
    }

    public static boolean isForeignKeyViolation(Throwable e) {
        return hasSqlState(e, "23503");
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && state.equals(pg.getSqlState())) {
                return true;
            }
            // Hibernate Reactive rewraps the driver's error as a SQLException carrying the same state.
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
