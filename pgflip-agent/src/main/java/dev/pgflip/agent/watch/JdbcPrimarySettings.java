package dev.pgflip.agent.watch;

import dev.pgflip.agent.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** {@link PrimarySettings} over one kept pgjdbc connection (reopened after a failure), 1 s timeouts. */
public final class JdbcPrimarySettings implements PrimarySettings {
    private final String url;
    private final Properties props;
    private Connection connection;

    public JdbcPrimarySettings(DatabaseConfig db, Properties props) {
        this.url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.dbname();
        this.props = props;
    }

    @Override
    public ReplicationState read() {
        try (Statement s = connection().createStatement(); ResultSet rs = s.executeQuery(
                "SELECT current_setting('synchronous_standby_names'),"
                        + " (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming')")) {
            rs.next();
            return new ReplicationState(rs.getString(1), rs.getInt(2));
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("cannot read the replication state: " + e.getMessage(), e);
        }
    }

    @Override
    public void setSynchronousStandbyNames(String value) {
        // ALTER SYSTEM takes no bind parameters: the value is quoted as a string literal.
        String literal = "'" + value.replace("'", "''") + "'";
        try (Statement s = connection().createStatement()) {
            s.execute("ALTER SYSTEM SET synchronous_standby_names = " + literal);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("cannot set synchronous_standby_names: " + e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, props);
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
