package dev.pgflip.agent.promote;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.node.NodeRole;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production probe: {@code SELECT pg_is_in_recovery()} over pgjdbc. The connection is kept between probes
 * (a session sees the end of recovery as soon as it happens, and reconnecting every 100 ms would cost more
 * than the query) and re-opened after any failure. Connect and socket timeouts are 1 s so a dead node cannot
 * stall the loop.
 */
public final class JdbcNodeRoleProbe implements NodeRoleProbe {
    private static final Logger log = LoggerFactory.getLogger(JdbcNodeRoleProbe.class);

    private final NodeConnector connector;
    private Connection connection;
    private String lastError = "";

    public JdbcNodeRoleProbe(DatabaseConfig db) {
        this(db, "pgflip-promote");
    }

    public JdbcNodeRoleProbe(DatabaseConfig db, String applicationName) {
        this.connector = NodeConnector.of(db, applicationName);
    }

    @Override
    public NodeRole probe() {
        try {
            if (connection == null) {
                connection = connector.connectLocal();
            }
            return Recovery.inRecovery(connection) ? NodeRole.STANDBY : NodeRole.PRIMARY;
        } catch (SQLException e) {
            noteFailure(e);
            close();
            return NodeRole.UNREACHABLE;
        }
    }

    /** The last connection error, for the failure message. */
    public String lastError() {
        return lastError;
    }

    private void noteFailure(SQLException e) {
        String msg = e.getSQLState() + " " + e.getMessage();
        if (!msg.equals(lastError)) {
            log.debug("role check of {}:{} failed: {}", connector.local().host(), connector.local().port(), msg);
        }
        lastError = msg;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing role-check connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
