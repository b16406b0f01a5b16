package dev.pgflip.agent.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The role question every part of the agent asks a node, in one place: is it in recovery (a standby, or fenced)? */
public final class Recovery {
    private Recovery() {}

    public static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
