package dev.pgflip.lab.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.RetryRule;
import dev.pgflip.lab.LabCli;
import dev.pgflip.lab.LabFixture;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The write endpoint answers but is read-only (SQLState 25006 territory), n1 staying primary throughout: first the FLIP
 * moved by hand to the standby n2 (what a FLIP left on a demoted node looks like to a client), then n1 itself fenced
 * with {@code default_transaction_read_only=on} while a session is open on it. pgflip must hand out no writer
 * connection on a read-only server, land no write anywhere but the primary, and write again once the endpoint leads
 * to a writable primary. The watch daemon on n1 moves the FLIP back within seconds by itself: the test asserts what
 * pgflip did during the window and after it, not how long the window lasted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDataSourceReadOnlyIT {
    private static LabFixture lab;
    private static SimpleMeterRegistry registry;
    private static ClusterDataSource ds;

    @BeforeAll
    static void up() throws Exception {
        lab = LabFixture.up();
        registry = new SimpleMeterRegistry();
        // A short connection timeout so a caller refused a writer says so quickly instead of waiting out the window.
        ds = LabDataSources.seed().connectionTimeout(Duration.ofMillis(700)).meterRegistry(registry).build();
        ds.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS jdbc_it_readonly (id int PRIMARY KEY, phase text)");
            }
        });
    }

    @AfterAll
    static void down() throws Exception {
        if (ds != null) {
            ds.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void noWriterConnectionWhileTheFlipLeadsToTheStandbyAndWritesResumeWhenItComesBack() throws Exception {
        Connection held = ds.getConnection();
        assertThat(LabDataSources.where(held)).startsWith("primary@");
        Writes writes = new Writes("flip-on-standby", 0).start();
        awaitAcks(writes, 3);

        boolean windowSeen = false;
        boolean refusedInWindow = false;
        for (int attempt = 1; attempt <= 3 && !(windowSeen && refusedInWindow); attempt++) {
            flipAssign("102");
            // Sample until the watch daemon (or this test) brings the FLIP back; both observers run on their own.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                boolean standbyBehindFlip = flipAnswersAsStandby();
                windowSeen |= standbyBehindFlip;
                refusedInWindow |= standbyBehindFlip && writerHealthy() == 0;
                if (!standbyBehindFlip && windowSeen && LabDataSources.flipAnswersAsPrimary()) {
                    break;
                }
                Thread.sleep(20);
            }
        }
        flipAssign("101");
        long back = System.nanoTime();
        awaitAcksAfter(writes, back, 15);
        writes.stop();

        assertThat(windowSeen).as("the FLIP answered from the standby at least once").isTrue();
        assertThat(refusedInWindow).as("pgflip's writer check saw the standby behind the FLIP (writer unhealthy)")
                .isTrue();
        assertThatThrownBy(() -> insert(held, 1_000_000, "held")).as("a session opened before the move")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(RetryRule.retryAfter(e, 1, Duration.ofSeconds(10)))
                        .as("a failover failure pgflip retries, not the caller's error").isPresent());
        held.close();
        System.out.printf("pgflip-it flip on standby: %d writes acknowledged, %d refused; refusals: %s%n",
                writes.acks.size(), writes.failures.size(), distinct(writes.failures));
        assertThat(writes.acks).as("every acknowledged write ran on a primary").allMatch(a -> a.startsWith("primary@"));
        assertThat(writes.failures).as("no write reached the standby: nobody saw 25006")
                .noneMatch(f -> f.contains("25006"));
        assertThat(writes.failures).as("refusals are pgflip's clear error or a connection failure")
                .allMatch(f -> f.contains("no writable primary") || f.contains("[08"));
        // A write whose connection was aborted while its COMMIT was on the way may have landed although its caller saw
        // an I/O error: the rows on n1 are every acknowledged write plus at most the failed ones, never fewer.
        int onN1 = countOnN1("flip-on-standby");
        assertThat(onN1).as("every acknowledged write is on n1").isGreaterThanOrEqualTo(writes.acks.size());
        assertThat(onN1).as("and no more than the calls that were made").isLessThanOrEqualTo(
                writes.acks.size() + writes.failures.size());
        assertThat(registry.get("pgflip.failovers").counter().count()).as("the writer came back").isGreaterThan(0);
        assertThat(writerHealthy()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aSessionOpenWhenThePrimaryTurnsReadOnlyFailsWith25006AndIsEvicted() throws Exception {
        double evictionsBefore = registry.get("pgflip.evictions").tag("role", "writer").tag("host", LabFixture.FLIP + ":5432").counter().count();
        Connection held = ds.getConnection();
        insert(held, 2_000_000, "before-fence");
        int pid = backendPid(held);
        try {
            fenceN1(true);
            SQLException refused = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 1; refused == null && System.nanoTime() < until; i++) {
                try {
                    insert(held, 2_000_000 + i, "after-fence");   // the reload reaches the backend asynchronously
                    Thread.sleep(50);
                } catch (SQLException e) {
                    refused = e;
                }
            }
            assertThat((Object) refused).as("a write on the open session after the fence").isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("25006");
            assertThat(RetryRule.retryAfter(refused, 1, Duration.ofSeconds(10))).as("25006 is retried on the primary")
                    .isPresent();
            assertThat(RetryRule.commitOutcomeUnknown(refused)).as("a refused write did not commit").isFalse();
            held.close();
            LabDataSources.awaitTrue(() -> !backendAlive(pid), 5, "the session that saw 25006 is closed, not returned to the pool");
            assertThat(registry.get("pgflip.evictions").tag("role", "writer").tag("host", LabFixture.FLIP + ":5432").counter().count())
                    .isGreaterThan(evictionsBefore);
            LabDataSources.awaitTrue(() -> writerHealthy() == 0, 5, "the writer check refuses a read-only primary");
            assertThatThrownBy(() -> {
                try (Connection c = ds.getConnection()) {
                    insert(c, 2_100_000, "fenced");
                }
            }).isInstanceOf(SQLException.class).hasMessageContaining("READ_ONLY");
        } finally {
            fenceN1(false);
        }
        LabDataSources.awaitTrue(() -> writerHealthy() == 1, 10, "the writer is usable again after the fence is lifted");
        ds.inTransaction(c -> {
            insert(c, 2_200_000, "after-unfence");
        });
        assertThat(countOnN1("after-unfence")).isEqualTo(1);
        assertThat(countOnN1("fenced")).isZero();
    }

    /** One writer thread: getConnection + insert + commit in a loop, recording where each ack ran or why it failed. */
    private static final class Writes {
        final ConcurrentLinkedQueue<String> acks = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final String phase;
        private final AtomicInteger next;
        private final Thread thread;
        private volatile boolean stop;

        Writes(String phase, int firstId) {
            this.phase = phase;
            this.next = new AtomicInteger(firstId);
            this.thread = new Thread(this::run, "it-readonly-writer");
            this.thread.setDaemon(true);
        }

        Writes start() {
            thread.start();
            return this;
        }

        private void run() {
            while (!stop) {
                int id = next.getAndIncrement();
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    insert(c, id, phase);
                    String where = LabDataSources.where(c);
                    c.commit();
                    acks.add(where);
                    ackTimes.add(System.nanoTime());
                } catch (SQLException e) {
                    failures.add(e.getClass().getSimpleName() + " [" + e.getSQLState() + "] " + e.getMessage());
                }
                sleepQuietly(20);
            }
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }
    }

    private static void insert(Connection c, int id, String phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_it_readonly (id, phase) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, phase);
            ps.executeUpdate();
        }
    }

    /** Assigns the FLIP through the emulator; the watch daemon may have done it already (the API then says 422). */
    private static void flipAssign(String dropletId) throws Exception {
        String[] argv = {"flip", "assign", dropletId, "--wait", "--config", "/etc/pgflip/agent.yaml"};
        LabCli.Result r = lab.agent("n1", argv);
        if (r.exitCode() != 0 && !r.stderr().contains("already assigned to that Droplet")) {
            throw new AssertionError("pgflip " + String.join(" ", argv) + " exited " + r.exitCode() + "\n" + r.stderr());
        }
    }

    /** {@code default_transaction_read_only} on n1 through ALTER SYSTEM and a reload: open sessions pick it up too. */
    private static void fenceN1(boolean on) throws SQLException {
        try (Connection c = LabFixture.connect(LabFixture.N1); Statement s = c.createStatement()) {
            s.execute("SET default_transaction_read_only = off");
            s.execute(on ? "ALTER SYSTEM SET default_transaction_read_only = on"
                    : "ALTER SYSTEM RESET default_transaction_read_only");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean backendAlive(int pid) {
        try (Connection c = LabFixture.connect(LabFixture.N1);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            return true;
        }
    }

    private static int countOnN1(String phase) throws SQLException {
        try (Connection c = LabFixture.connect(LabFixture.N1);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM jdbc_it_readonly WHERE phase = ?")) {
            ps.setString(1, phase);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Whether the FLIP answers as a standby right now, seen by a plain connection (not through pgflip). */
    private static boolean flipAnswersAsStandby() {
        if (!LabDataSources.flipAcceptsTcp()) {
            return false;
        }
        try (Connection c = LabFixture.connect(LabFixture.FLIP); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static double writerHealthy() {
        Gauge g = registry.get("pgflip.host.healthy").tag("role", "writer").gauge();
        return g.value();
    }

    private static void awaitAcks(Writes writes, int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writes.acks.size() < n && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(writes.acks.size()).as("writes before the move").isGreaterThanOrEqualTo(n);
    }

    private static void awaitAcksAfter(Writes writes, long sinceNanos, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            if (writes.ackTimes.stream().anyMatch(t -> t - sinceNanos > 0)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no write acknowledged within " + seconds + " s after the FLIP came back; last"
                + " failures: " + distinct(writes.failures));
    }


    private static List<String> distinct(ConcurrentLinkedQueue<String> failures) {
        List<String> out = new ArrayList<>();
        for (String f : failures) {
            String key = f.length() > 160 ? f.substring(0, 160) : f;
            if (!out.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
