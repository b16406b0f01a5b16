package dev.pgflip.lab.drill;

import java.sql.SQLException;

/**
 * One way an application can talk to the cluster, measured side by side with the others in the same drill. Each
 * call reports the node that served it (from the server's own data_directory), so a write is known to have landed
 * on the new primary and not merely "succeeded".
 */
public interface ClientStack extends AutoCloseable {
    String name();

    /** Inserts (client, seq) and returns the node that acknowledged it. */
    String write(long seq) throws SQLException;

    /** Runs a read-only query and returns the node that served it. */
    String read() throws SQLException;

    @Override
    void close();

    String INSERT = "INSERT INTO drill_writes (client, seq, node) VALUES (?, ?, "
            + "regexp_replace(current_setting('data_directory'), '^.*/([^/]+)/data$', '\\1')) RETURNING node";
    String READ = "SELECT regexp_replace(current_setting('data_directory'), '^.*/([^/]+)/data$', '\\1')"
            + " FROM drill_writes LIMIT 1";
}
