package dev.pgflip.jdbc.internal;

import java.sql.SQLNonTransientConnectionException;

/**
 * A borrow from a data source after its {@code close()}: nothing will ever answer it, so it fails at once and no retry
 * rule takes it for a lost connection (see {@link FailureClassifier.Failure#CLOSED}). SQLState 08003, connection does
 * not exist, as HikariCP and pgjdbc use for a closed pool or connection.
 */
public final class DataSourceClosedException extends SQLNonTransientConnectionException {
    private static final long serialVersionUID = 1L;

    public DataSourceClosedException(String dataSource) {
        super("pgflip: data source " + dataSource + " was closed: no connection can be borrowed from it any more",
                SqlStates.CONNECTION_DOES_NOT_EXIST);
    }
}
