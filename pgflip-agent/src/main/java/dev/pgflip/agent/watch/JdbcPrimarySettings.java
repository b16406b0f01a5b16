package dev.pgflip.agent.watch;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.KeptConnection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/** {@link PrimarySettings} over one kept pgjdbc connection, 1 s timeouts. */
public final class JdbcPrimarySettings implements PrimarySettings {
    private final KeptConnection connection;

    public JdbcPrimarySettings(DatabaseConfig db, Properties props) {
        this.connection = new KeptConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.dbname(), props);
    }

    @Override
    public ReplicationState read() {
        return connection.use("cannot read the replication state", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT current_setting('synchronous_standby_names'),"
                            + " (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming')")) {
                rs.next();
                return new ReplicationState(rs.getString(1), rs.getInt(2));
            }
        });
    }

    @Override
    public void setSynchronousStandbyNames(String value) {
        // ALTER SYSTEM takes no bind parameters: the value is quoted as a string literal.
        String literal = "'" + value.replace("'", "''") + "'";
        connection.use("cannot set synchronous_standby_names", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER SYSTEM SET synchronous_standby_names = " + literal);
                s.execute("SELECT pg_reload_conf()");
            }
            return null;
        });
    }

    @Override
    public void close() {
        connection.close();
    }
}
