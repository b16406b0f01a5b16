package dev.pgflip.lab.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Short-lived pgjdbc connections from the root namespace to a lab address, with tight timeouts. */
public final class NodeSql {
    private final String user;
    private final String password;

    public NodeSql(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public Connection connect(String host, String database, int timeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds * 3));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds * 2));
        props.setProperty("ApplicationName", "pgflip-lab");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/" + database, props);
    }

    public void execute(String host, String database, String sql) throws SQLException {
        try (Connection c = connect(host, database, 5); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** "primary", "standby" or "witness" as the node itself reports it; throws when it cannot be reached. */
    public String role(String host, String nodeName) throws SQLException {
        try (Connection c = connect(host, "repmgr", 1); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return "standby";
                }
            }
            try (var ps = c.prepareStatement("SELECT type FROM repmgr.nodes WHERE node_name = ?")) {
                ps.setString(1, nodeName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && "witness".equals(rs.getString(1)) ? "witness" : "primary";
                }
            }
        }
    }
}
