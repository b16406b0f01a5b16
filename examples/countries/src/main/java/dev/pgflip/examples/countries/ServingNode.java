package dev.pgflip.examples.countries;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which PostgreSQL node served a connection, as that connection itself answers: the address the server accepted it
 * on ({@code inet_server_addr()}: the floating IP for writes through it), whether the node is a standby
 * ({@code pg_is_in_recovery()}), and the node's name, taken from its data directory ({@code <lab>/n2/data} → n2).
 * Reading {@code data_directory} needs a superuser or {@code pg_read_all_settings}, which the lab's user has.
 */
public record ServingNode(String name, String address, boolean inRecovery) {
    static final String QUERY = "SELECT host(inet_server_addr()), pg_is_in_recovery(), current_setting('data_directory')";

    /** Asks {@code connection} (inside the caller's transaction, on the host it already uses). */
    public static ServingNode ask(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            rs.next();
            return new ServingNode(nodeName(rs.getString(3)), rs.getString(1), rs.getBoolean(2));
        }
    }

    /** The lab keeps each node's data in {@code <lab dir>/<node>/data}; elsewhere this is just the parent's name. */
    static String nodeName(String dataDirectory) {
        Path parent = Path.of(dataDirectory).getParent();
        return parent == null || parent.getFileName() == null ? dataDirectory : parent.getFileName().toString();
    }

    public String role() {
        return inRecovery ? "standby" : "primary";
    }

    /** {@code n1 (198.18.0.100 → primary, via the floating IP)} when {@code address} is the write endpoint. */
    public String describe(String writeHost) {
        return name + " (" + address + " → " + role() + (address != null && address.equals(writeHost)
                ? ", via the floating IP" : "") + ")";
    }
}
