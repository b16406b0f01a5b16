package dev.pgflip.lab.jdbc;

import dev.pgflip.jdbc.AmbiguousCommitException;
import dev.pgflip.jdbc.ClusterDataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writer threads committing in a loop through {@code inTransaction}: each insert is (writer, seq) and returns the
 * server it landed on. Every acknowledged commit, every failed call and the longest call are recorded.
 */
final class WriteLoad implements AutoCloseable {
    /** One acknowledged commit. */
    record Ack(int writer, int seq, String server, long atNanos) {}

    /** One call that threw. */
    record Failure(int writer, int seq, long atNanos, long tookNanos, String error) {}

    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Failure> ambiguous = new ConcurrentLinkedQueue<>();
    final AtomicLong longestCallNanos = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    static void createTable(ClusterDataSource ds) throws SQLException {
        ds.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS jdbc_it_load (writer int, seq int, PRIMARY KEY (writer, seq))");
            }
        });
    }

    WriteLoad start(ClusterDataSource ds, int writers) {
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> run(ds, writer), "it-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void run(ClusterDataSource ds, int writer) {
        for (int seq = 0; !stop; seq++) {
            int s = seq;
            long start = System.nanoTime();
            try {
                String server = ds.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO jdbc_it_load (writer, seq) VALUES (?, ?) RETURNING current_setting('data_directory')")) {
                        ps.setInt(1, writer);
                        ps.setInt(2, s);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getString(1);
                        }
                    }
                });
                acks.add(new Ack(writer, s, server, System.nanoTime()));
            } catch (AmbiguousCommitException e) {
                ambiguous.add(new Failure(writer, s, System.nanoTime(), System.nanoTime() - start, e.getMessage()));
            } catch (SQLException e) {
                failures.add(new Failure(writer, s, System.nanoTime(), System.nanoTime() - start, e.getMessage()));
            }
            longestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first acknowledged commit at or after {@code sinceNanos}, or null. */
    Ack firstAckAfter(long sinceNanos) {
        return acks.stream().filter(a -> a.atNanos() >= sinceNanos).min((a, b) -> Long.compare(a.atNanos(), b.atNanos()))
                .orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
