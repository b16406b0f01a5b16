package dev.pgflip.lab.drill;

import dev.pgflip.common.StaggeredConnect;
import dev.pgflip.lab.cluster.NodeSql;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the floating IP, with a fresh connection every 25 ms from the fault on, which node answers and whether it is
 * writable: the moment it first answers writable from a node other than the old primary is when the floating IP
 * "works" again, independent of any client's pool.
 */
public final class FlipProber {
    private final NodeSql sql;
    private final String flip;
    private final String oldPrimary;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answeringAt = new AtomicLong(-1);
    private final AtomicLong notBefore = new AtomicLong(Long.MAX_VALUE);
    private volatile String answeringNode;
    private final Thread thread;

    public FlipProber(NodeSql sql, String flip, String oldPrimary) {
        this.sql = sql;
        this.flip = flip;
        this.oldPrimary = oldPrimary;
        this.thread = ClientLoad.daemon(this::loop, "drill-flip-prober");
    }

    public void start() {
        thread.start();
    }

    /** Only answers at or after this instant (the fault) count. */
    public void armAt(long epochMs) {
        notBefore.set(epochMs);
    }

    private void loop() {
        while (running.get() && answeringAt.get() < 0) {
            long start = System.currentTimeMillis();
            if (start < notBefore.get()) {
                // Nothing before the fault counts, and each probe costs the primary two backend forks and a SCRAM
                // login: 40 a second had loaded the 2-core lab exactly when the fault hit (counted with strace).
                pause();
                continue;
            }
            if (!tcpAnswers()) {
                pause();
                continue;
            }
            try (Connection c = sql.connect(flip, "postgres", 1); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), regexp_replace(current_setting('data_directory'),"
                         + " '^.*/([^/]+)/data$', '\\1')")) {
                rs.next();
                String node = rs.getString(2);
                if (!rs.getBoolean(1) && !node.equals(oldPrimary)) {
                    answeringNode = node;
                    answeringAt.set(System.currentTimeMillis());
                }
            } catch (Exception e) {
                // not answering yet: that is what we measure
            }
            pause();
        }
    }

    /**
     * TCP handshakes first, a new one every 10 ms for up to 200 ms ({@link StaggeredConnect}, pgflip-jdbc's own
     * check): a SYN sent just before the IP moved is never answered, and waiting on it would put its timeout into the
     * measurement.
     */
    private boolean tcpAnswers() {
        try {
            StaggeredConnect.await(new InetSocketAddress(flip, 5432), Duration.ofMillis(200), Duration.ofMillis(10));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void pause() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /**
     * Waits until the floating IP answers from the new primary, or until {@code untilEpochMs}. Clients that write to
     * the promoted node directly (pgflip-jdbc's direct writes) recover before the IP has moved, so a run that ended at
     * their first write would clean up while the IP still led to the old node.
     */
    public boolean awaitAnswering(long untilEpochMs) throws InterruptedException {
        while (answeringAt.get() < 0 && System.currentTimeMillis() < untilEpochMs && thread.isAlive()) {
            Thread.sleep(25);
        }
        return answeringAt.get() >= 0;
    }

    public Optional<Long> answeringAt() {
        long at = answeringAt.get();
        return at < 0 ? Optional.empty() : Optional.of(at);
    }

    public String answeringNode() {
        return answeringNode;
    }

    public void stop() {
        running.set(false);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
