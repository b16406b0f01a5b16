package dev.pgflip.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** One pooled connection lent to a caller, remembered by its pool until returned. */
public final class Lease implements AutoCloseable {
    private final HostPool pool;
    private final Connection connection;

    Lease(HostPool pool, Connection connection) {
        this.pool = pool;
        this.connection = connection;
    }

    public HostPool pool() {
        return pool;
    }

    public Connection connection() {
        return connection;
    }

    /** Closes the socket under the caller (pgjdbc's abort closes it at once); false if it was already closed. */
    boolean abort() {
        try {
            if (connection.isClosed()) {
                return false;
            }
            connection.abort(Runnable::run);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() throws SQLException {
        pool.returned(this);
        connection.close();
    }
}
