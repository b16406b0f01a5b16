package dev.pgflip.agent.db;

import dev.pgflip.agent.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How the agent connects to a node of its cluster, in one place: the JDBC URL (an IPv6 address in brackets, as pgjdbc
 * needs it), {@code node.database}'s database and credentials for every node (repmgr's conninfo names only where a
 * node listens), and the given pgjdbc properties (the agent's short timeouts, {@link JdbcProperties}).
 */
public final class NodeConnector {
    private final DatabaseConfig local;
    private final Properties props;

    public NodeConnector(DatabaseConfig local, Properties props) {
        this.local = local;
        this.props = props;
    }

    /** The agent's 1 s timeouts ({@link JdbcProperties}), under {@code applicationName} in pg_stat_activity. */
    public static NodeConnector of(DatabaseConfig local, String applicationName) {
        return new NodeConnector(local, JdbcProperties.of(local, applicationName));
    }

    /** With {@code seconds} for each timeout ({@link JdbcProperties#of(DatabaseConfig, String, int)}). */
    public static NodeConnector of(DatabaseConfig local, String applicationName, int seconds) {
        return new NodeConnector(local, JdbcProperties.of(local, applicationName, seconds));
    }

    public DatabaseConfig local() {
        return local;
    }

    /** This node's PostgreSQL ({@code node.database}). */
    public Connection connectLocal() throws SQLException {
        return connect(local.host(), local.port());
    }

    /** Another node, with this node's database and credentials. */
    public Connection connect(String host, int port) throws SQLException {
        return connect(host, port, local.dbname());
    }

    public Connection connect(String host, int port, String dbname) throws SQLException {
        return DriverManager.getConnection(url(host, port, dbname), props);
    }

    /** A node as repmgr.nodes records it; fails with a clear message when its conninfo names no host. */
    public Connection connect(Conninfo node) throws SQLException {
        String host = node.host().orElseThrow(() -> new SQLException("no host in the conninfo " + node, "08001"));
        return connect(host, node.port().orElse(Conninfo.DEFAULT_PORT));
    }

    /** This node's PostgreSQL, kept between uses ({@link KeptConnection}). */
    public KeptConnection keepLocal() {
        return keepLocal(c -> null);
    }

    /** @param onOpen session set-up run on every new connection */
    public KeptConnection keepLocal(KeptConnection.SqlWork<Void> onOpen) {
        return new KeptConnection(url(local.host(), local.port(), local.dbname()), props, onOpen);
    }

    /** Another node, kept between uses. */
    public KeptConnection keep(String host, int port) {
        return new KeptConnection(url(host, port, local.dbname()), props);
    }

    public static String url(String host, int port, String dbname) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + dbname;
    }
}
