package dev.pgflip.lab.drill;

import dev.pgflip.jdbc.ClusterDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * pgflip-jdbc as an application would use it with the seed's settings: writes through the floating IP inside
 * {@code inTransaction} (retried on a connection failure before COMMIT), reads from a healthy standby.
 */
public final class PgflipStack implements ClientStack {
    private final ClusterDataSource ds;

    public PgflipStack(String flip, List<String> readHosts, String user, String password) {
        this.ds = ClusterDataSource.builder()
                .write(flip + ":5432")
                .read(readHosts.stream().map(h -> h + ":5432").toArray(String[]::new))
                .database("postgres").user(user).password(password)
                .maxPoolSize(10).idleTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Override
    public String name() {
        return "pgflip";
    }

    @Override
    public String write(long seq) throws SQLException {
        return ds.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, "pgflip");
                ps.setLong(2, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Override
    public String read() throws SQLException {
        try (Connection c = ds.getReadConnection(); PreparedStatement ps = c.prepareStatement(READ);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    @Override
    public void close() {
        ds.close();
    }
}
