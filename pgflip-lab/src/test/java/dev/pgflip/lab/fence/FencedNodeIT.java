package dev.pgflip.lab.fence;

import static dev.pgflip.lab.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabFixture;
import dev.pgflip.lab.OnTheLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, hole 2, on the real lab: a fence no session can override. {@code default_transaction_read_only} alone let
 * {@code BEGIN READ WRITE; SET LOCAL synchronous_commit = local; INSERT; COMMIT} commit on a fenced node; the fence now
 * restarts the node in recovery, where PostgreSQL itself refuses every write. Then the fence's life: ISOLATED while cut
 * off, OUTRANKED once it sees the promoted standby, gone after {@code lab rejoin}, which stops the fenced node cleanly
 * and rewinds it.
 */
class FencedNodeIT extends OnTheLab {
    private static final String ADVERSARIAL_WRITE = "BEGIN READ WRITE; SET LOCAL synchronous_commit = local;"
            + " CREATE TABLE IF NOT EXISTS fence_probe (x int); INSERT INTO fence_probe VALUES (1); COMMIT";

    @Test
    void aFencedOldPrimaryRefusesEveryWriteFromEverySessionUntilItIsRejoined() throws Exception {
        try (Connection c = LabFixture.connect(LabFixture.N1); Statement s = c.createStatement()) {
            s.execute(ADVERSARIAL_WRITE);
        }
        Path fenceRecord = lab.dir().resolve("n1").resolve("fence.state");
        lab.fault("partition", "n1");
        awaitTrue(() -> Files.exists(fenceRecord) && inRecovery(LabFixture.N1), 30,
                "n1 fenced and restarted in recovery");
        assertThat(Files.readString(fenceRecord)).startsWith("isolated: no peer answered for").contains("timeline=1");

        // The application still reaches n1 through the partition: every session, superuser or not, is refused, by
        // PostgreSQL in recovery itself ("cannot set transaction read-write mode during recovery", 0A000; a plain
        // write: "cannot execute INSERT in a read-only transaction", 25006).
        try (Connection c = LabFixture.connect(LabFixture.N1); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(ADVERSARIAL_WRITE)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as(e.getMessage()).isIn("0A000", "25006"));
        }
        try (Connection c = LabFixture.connect(LabFixture.N1); Statement s = c.createStatement()) {
            s.execute("SET default_transaction_read_only = off");
            assertThatThrownBy(() -> s.execute("INSERT INTO fence_probe VALUES (2)")).isInstanceOfSatisfying(
                    SQLException.class, e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("25006"));
        }
        awaitTrue(() -> primary(LabFixture.N2), 30, "n2 promoted");

        try (Connection reader = LabFixture.connect(LabFixture.N1)) {
            lab.heal("n1");
            awaitTrue(() -> Files.readString(fenceRecord).startsWith("outranked: n2 is primary on timeline 2"), 30,
                    "the isolation fence turned into a fence for good once n1 saw n2");
            // Already in recovery: the new reason is recorded without a restart and without ending sessions (a reader
            // connected before keeps its session; the CI once caught the old code ending the test's own session).
            try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("still refusing writes, to a session opened while isolated").isTrue();
            }
        }
        assertThat(inRecovery(LabFixture.N1)).as("still refusing writes").isTrue();

        lab.cli().ok("lab", "rejoin", "n1");
        assertThat(fenceRecord).doesNotExist();
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE application_name = 'n1'"
                     + " AND state = 'streaming'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("n1 streams from n2").isEqualTo(1);
        }
        try (Connection c = LabFixture.connect(LabFixture.N1); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM fence_probe")) {
            rs.next();
            assertThat(rs.getInt(1)).as("only the write from before the fence").isEqualTo(1);
        }
    }

    private static boolean inRecovery(String host) {
        return Boolean.TRUE.equals(recovery(host));
    }

    private static boolean primary(String host) {
        return Boolean.FALSE.equals(recovery(host));
    }

    /** pg_is_in_recovery() on {@code host}; null when it does not answer. */
    private static Boolean recovery(String host) {
        try (Connection c = LabFixture.connect(host); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return null;
        }
    }
}
