package dev.pgflip.lab.drill;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baselines pgflip must beat, built as their users build them: {@code hikari} is the seed application's setup
 * (a pool on the floating IP for writes, reads spread over [standby, primary] like Sequelize's {@code replication.read});
 * {@code multihost} is pgjdbc's own failover (a node list with {@code targetServerType}) and no floating IP.
 */
public final class HikariStacks {
    private HikariStacks() {}

    public static ClientStack plainHikari(String flip, List<String> readHosts, String user, String password) {
        HikariDataSource writer = pool("hikari-write", url(flip), user, password);
        List<HikariDataSource> readers = readHosts.stream()
                .map(h -> pool("hikari-read-" + h, url(h), user, password)).toList();
        return new PooledStack("hikari", writer, readers);
    }

    public static ClientStack multiHost(List<String> nodes, String user, String password) {
        String hosts = String.join(",", nodes.stream().map(h -> h + ":5432").toList());
        HikariDataSource writer = pool("multihost-write",
                "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary", user, password);
        HikariDataSource reader = pool("multihost-read",
                "jdbc:postgresql://" + hosts + "/postgres?targetServerType=preferSecondary&loadBalanceHosts=true",
                user, password);
        return new PooledStack("multihost", writer, List.of(reader));
    }

    private static String url(String host) {
        return "jdbc:postgresql://" + host + ":5432/postgres";
    }

    /** HikariCP defaults except the seed's pool shape (max 10, idle 30 s): a baseline is not tuned. */
    private static HikariDataSource pool(String name, String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setIdleTimeout(30_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static final class PooledStack implements ClientStack {
        private final String name;
        private final HikariDataSource writer;
        private final List<HikariDataSource> readers;
        private final AtomicLong nextReader = new AtomicLong();

        PooledStack(String name, HikariDataSource writer, List<HikariDataSource> readers) {
            this.name = name;
            this.writer = writer;
            this.readers = readers;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String write(long seq) throws SQLException {
            try (Connection c = writer.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, name);
                ps.setLong(2, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }

        @Override
        public String read() throws SQLException {
            HikariDataSource pool = readers.get((int) (nextReader.getAndIncrement() % readers.size()));
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(READ);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "?";
            }
        }

        @Override
        public void close() {
            writer.close();
            readers.forEach(HikariDataSource::close);
        }
    }
}
