package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.NodeTimeline;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/** {@link PrimarySettings} over one kept pgjdbc connection, 1 s timeouts: one query per look. */
public final class JdbcPrimarySettings implements PrimarySettings {
    private final KeptConnection connection;

    public JdbcPrimarySettings(NodeConnector connector) {
        this.connection = connector.keepLocal();
    }

    @Override
    public ReplicationState read() {
        return connection.use("cannot read the replication state", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_is_in_recovery(), current_setting('synchronous_standby_names'),"
                            + " CASE WHEN pg_is_in_recovery() THEN 0 ELSE (pg_current_wal_lsn() - '0/0')::bigint END,"
                            + " " + NodeTimeline.OF_PRIMARY_ELSE_ZERO)) {
                rs.next();
                boolean inRecovery = rs.getBoolean(1);
                String names = rs.getString(2);
                long current = rs.getLong(3);
                long timeline = rs.getLong(4);
                List<ReplicationState.Walsender> streaming = new java.util.ArrayList<>();
                try (ResultSet senders = s.executeQuery("SELECT application_name,"
                        + " coalesce((flush_lsn - '0/0')::bigint, 0) FROM pg_stat_replication WHERE state = 'streaming'")) {
                    while (senders.next()) {
                        streaming.add(new ReplicationState.Walsender(senders.getString(1), senders.getLong(2)));
                    }
                }
                return new ReplicationState(inRecovery, names, streaming, current, timeline);
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
