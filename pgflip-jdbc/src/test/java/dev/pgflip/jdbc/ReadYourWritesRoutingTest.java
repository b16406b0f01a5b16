package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.internal.Cluster;
import dev.pgflip.jdbc.internal.ConnectionSource;
import dev.pgflip.jdbc.internal.ProbeResult;
import dev.pgflip.jdbc.internal.RoutingConnection;
import dev.pgflip.jdbc.internal.TransactionRunner;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session over a Cluster of fake pools, never started (probe answers are fed by hand, as in ClusterRoutingTest): its
 * reads leave the writer only while the position of its last commit is known.
 */
class ReadYourWritesRoutingTest {
    private static final HostSpec FLIP = HostSpec.parse("198.18.0.100:5432");
    private static final HostSpec N1 = HostSpec.parse("198.18.0.11:5432");
    private static final HostSpec N2 = HostSpec.parse("198.18.0.12:5432");

    /** What the writer answers after a commit: an LSN on timeline 2, or null to refuse as a demoted primary does. */
    private volatile String writerLsn;
    /** The name of the pool that lent the last connection. */
    private volatile String lastLender;

    private final ClusterConfig config = ClusterDataSource.builder().name("t").write(FLIP.toString())
            .read(N1.toString(), N2.toString()).database("postgres").user("postgres").config();
    private final Cluster cluster = new Cluster(config, (host, role, inRecoveryToo, name) -> source(name));
    private final TransactionRunner runner = new TransactionRunner(deadline -> RoutingConnection.create(
            readOnly -> cluster.borrowWriter(deadline), cluster, false), config.retryDeadline(), cluster.metrics());
    private final ReadYourWrites session = new ReadYourWrites(cluster, runner, config, () -> Duration.ofSeconds(5),
            null);

    @AfterEach
    void close() {
        cluster.close();
    }

    /** n1 primary on timeline 2 behind the floating IP, n2 its standby, which replayed up to 0/5000100. */
    private void healthy() {
        ProbeResult primary = new ProbeResult(false, false, Duration.ZERO, "0/5000100", 2);
        cluster.writer().tracker().answered(primary);
        cluster.reader(N1).tracker().answered(primary);
        cluster.reader(N2).tracker().answered(new ProbeResult(true, true, Duration.ZERO, "0/5000100", 2));
    }

    private String readLender() throws SQLException {
        try (Connection read = session.getReadConnection()) {
            return lastLender;
        }
    }

    @Test
    void readsGoToTheWriterAfterACommitWhosePositionIsUnknownUntilTheNextKnownOne() throws SQLException {
        healthy();
        writerLsn = "0/5000100";
        session.inTransaction(c -> { });
        assertThat(session.timelineToken()).isEqualTo("0/5000100@2");
        assertThat(readLender()).isEqualTo("pgflip-t-reader-2");

        writerLsn = null;
        session.inTransaction(c -> { });
        assertThat(session.timelineToken()).as("kept from the commit before").isEqualTo("0/5000100@2");
        assertThat(readLender()).as("only the writer is known to hold the commit").isEqualTo("pgflip-t-writer");
        assertThat(readLender()).as("still, for every read").isEqualTo("pgflip-t-writer");

        writerLsn = "0/5000100";
        session.inTransaction(c -> { });
        assertThat(readLender()).isEqualTo("pgflip-t-reader-2");
    }

    private ConnectionSource source(String name) {
        return new ConnectionSource() {
            @Override
            public Connection connection(long timeoutMillis) {
                lastLender = name;
                return connectionOf(name);
            }

            @Override
            public boolean evictIdle() {
                return true;
            }

            @Override
            public String poolName() {
                return name;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A connection that takes every setting and transaction call, and answers the commit position query. */
    private Connection connectionOf(String pool) {
        boolean[] closed = new boolean[1];
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createStatement" -> statement();
                    case "close" -> {
                        closed[0] = true;
                        yield null;
                    }
                    case "isClosed" -> closed[0];
                    case "getAutoCommit", "isReadOnly" -> false;
                    case "setAutoCommit", "setReadOnly", "commit", "rollback" -> null;
                    case "toString" -> "connection of " + pool;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Statement statement() {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "executeQuery" -> {
                        String lsn = writerLsn;
                        if (lsn == null) {
                            throw new SQLException("recovery is in progress", "55000");
                        }
                        yield position(lsn);
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ResultSet position(String lsn) {
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "next" -> true;
                    case "getString" -> lsn;
                    case "getLong" -> 2L;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
