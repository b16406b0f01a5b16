package dev.pgflip.agent.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One pgjdbc connection kept between uses by a long-running agent loop. A kept connection may be stale (the node was
 * killed and rejoined since it was opened: measured, the first use after a promotion then failed with an I/O error
 * and delayed the work by a full loop period), so a failure on a kept connection is retried once on a fresh one.
 * Not thread-safe: one owner.
 */
public final class KeptConnection implements AutoCloseable {
    /** Work on the connection. */
    public interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    private final String url;
    private final Properties props;
    private final SqlWork<Void> onOpen;
    private Connection connection;

    public KeptConnection(String url, Properties props) {
        this(url, props, c -> null);
    }

    /** @param onOpen session set-up run on every new connection */
    public KeptConnection(String url, Properties props, SqlWork<Void> onOpen) {
        this.url = url;
        this.props = props;
        this.onOpen = onOpen;
    }

    /** @param what the failure message's start, e.g. "cannot read the replication state" */
    public <T> T use(String what, SqlWork<T> work) {
        boolean kept = connection != null;
        try {
            return work.apply(connection());
        } catch (SQLException first) {
            close();
            if (!kept) {
                throw new IllegalStateException(what + ": " + first.getMessage(), first);
            }
            try {
                return work.apply(connection());
            } catch (SQLException again) {
                close();
                throw new IllegalStateException(what + ": " + again.getMessage(), again);
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = DriverManager.getConnection(url, props);
            try {
                onOpen.apply(fresh);
            } catch (SQLException e) {
                fresh.close();
                throw e;
            }
            connection = fresh;
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is being dropped anyway
            }
            connection = null;
        }
    }
}
