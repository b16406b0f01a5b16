package dev.pgflip.agent.doctor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the settings failover depends on from pg_settings, with the pending value of any awaiting a restart. */
final class ServerSettings {
    static final List<String> NAMES = List.of("wal_log_hints", "data_checksums", "max_replication_slots", "hot_standby",
            "shared_preload_libraries", "synchronous_standby_names", "synchronous_commit");

    private ServerSettings() {}

    static Map<String, ServerSetting> read(Connection c) throws SQLException {
        Map<String, ServerSetting> settings = new HashMap<>();
        Optional<Map<String, String>> pending = pendingValues(c);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, setting, pending_restart, boot_val FROM pg_settings WHERE name = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", NAMES.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    // A line removed from the files falls back to the built-in default at the restart.
                    String bootValue = rs.getString(4);
                    Optional<String> after = rs.getBoolean(3)
                            ? pending.map(files -> files.getOrDefault(name, bootValue)) : Optional.empty();
                    settings.put(name, new ServerSetting(name, rs.getString(2), after));
                }
            }
        }
        return settings;
    }

    /**
     * The values the config files hold now (pg_file_settings: the last line wins). The line waiting for a restart is
     * the one whose {@code error} says it "could not be applied", so errors are not filtered out. It needs superuser or
     * pg_read_all_settings; without them pending values stay unknown and only the running ones are judged.
     */
    private static Optional<Map<String, String>> pendingValues(Connection c) {
        Map<String, String> values = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, setting FROM pg_file_settings"
                + " WHERE name = ANY (?) ORDER BY seqno")) {
            ps.setArray(1, c.createArrayOf("text", NAMES.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
        return Optional.of(values);
    }
}
