package dev.pgflip.lab.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.ReadYourWrites;
import dev.pgflip.lab.LabFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Routing on a healthy lab (n1 stays primary throughout): writes on the primary, reads on the standby, intent by
 * setReadOnly, read-your-writes; a write endpoint taken away (a direct writer session opens on the standby, no write goes
 * there); then the standby frozen (reads move to the primary) and healed (they come back), then
 * the standby killed (reads stay on the primary).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDataSourceRoutingIT {
    private static LabFixture lab;
    private static ClusterDataSource ds;

    @BeforeAll
    static void up() throws Exception {
        lab = LabFixture.up();
        ds = LabDataSources.seed().build();
        // A read whose standby connection is not ready within the reader slice (250 ms) falls back to the primary,
        // as it should; the routing tests start once the standby's pool has its first connection.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Connection r = ds.getReadConnection()) {
                if (LabDataSources.where(r).startsWith("standby@")) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        try (Connection w = ds.getConnection(); Statement s = w.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jdbc_it_routing (id serial PRIMARY KEY, note text)");
        }
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
    void writesLandOnThePrimaryAndReadsOnTheStandby() throws Exception {
        try (Connection w = ds.getConnection()) {
            assertThat(LabDataSources.where(w)).startsWith("primary@");
        }
        for (int i = 0; i < 5; i++) {
            try (Connection r = ds.getReadConnection()) {
                assertThat(LabDataSources.where(r)).isEqualTo("standby@" + LabFixture.N2);
            }
        }
        String inWrite = ds.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS jdbc_it_routing (id serial PRIMARY KEY, note text)");
            }
            return LabDataSources.where(c);
        });
        assertThat(inWrite).as("reads inside a write transaction stay on the writer").startsWith("primary@");
    }

    @Test
    @Order(2)
    void setReadOnlyBeforeTheFirstStatementRoutesToAReader() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            assertThat(LabDataSources.where(c)).isEqualTo("standby@" + LabFixture.N2);
            c.commit();
        }
    }

    @Test
    @Order(3)
    void aReadYourWritesSessionSeesItsOwnCommit() throws Exception {
        ReadYourWrites session = ds.readYourWrites();
        long id = session.inTransaction(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("INSERT INTO jdbc_it_routing (note) VALUES ('ryw') RETURNING id")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(session.token()).matches("[0-9A-F]+/[0-9A-F]+");
        try (Connection r = session.getReadConnection();
             PreparedStatement ps = r.prepareStatement("SELECT count(*) FROM jdbc_it_routing WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("own write visible on " + LabDataSources.where(r)).isEqualTo(1);
            }
        }
    }

    @Test
    @Order(4)
    void aWriteEndpointThatStopsAnsweringOpensADirectSessionOnTheStandbyButLendsNoWriteThere() throws Exception {
        try (TcpRelay endpoint = new TcpRelay(LabFixture.N1, 5432);
             ClusterDataSource relayed = ClusterDataSource.builder().name("relayed")
                     .write("127.0.0.1:" + endpoint.port()).read(LabFixture.N2 + ":5432")
                     .database("postgres").user("postgres").password("123456")
                     .connectionTimeout(Duration.ofSeconds(1)).build()) {
            try (Connection w = relayed.getConnection()) {
                assertThat(LabDataSources.where(w)).isEqualTo("primary@" + LabFixture.N1);
            }
            assertThat(directSessionsOnN2()).as("direct writer sessions on n2 while the endpoint answers").isZero();

            endpoint.close();
            LabDataSources.awaitTrue(() -> directSessionsOnN2() > 0, 10,
                    "a direct writer session opened on the standby n2 once the endpoint stopped answering");
            assertThatThrownBy(() -> {
                try (Connection w = relayed.getConnection()) {
                    LabDataSources.where(w);
                }
            }).as("n2 is a standby: no write is lent there")
                    .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("no writable primary");
        }
    }

    private static int directSessionsOnN2() throws SQLException {
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name = 'pgflip-writer-direct'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @Order(5)
    void readsMoveToThePrimaryWhileTheStandbyIsFrozenAndComeBackAfterHeal() throws Exception {
        lab.fault("freeze", "n2");
        long frozen = System.nanoTime();
        long moved = awaitReadsOn("primary@" + LabFixture.N1, 10);
        lab.heal("n2");
        long healed = System.nanoTime();
        long back = awaitReadsOn("standby@" + LabFixture.N2, 10);
        System.out.printf("pgflip-it standby freeze: reads on the primary %d ms after the freeze, back on the standby"
                + " %d ms after heal%n", ms(moved - frozen), ms(back - healed));
    }

    @Test
    @Order(6)
    void readsMoveToThePrimaryWhenTheStandbyIsKilled() throws Exception {
        lab.fault("kill", "n2");
        long killed = System.nanoTime();
        long moved = awaitReadsOn("primary@" + LabFixture.N1, 10);
        System.out.printf("pgflip-it standby kill: reads on the primary %d ms after the kill%n", ms(moved - killed));
        try (Connection w = ds.getConnection()) {
            assertThat(LabDataSources.where(w)).as("writes unaffected").startsWith("primary@");
        }
    }

    /** Reads until one lands where expected; every read must succeed (a read never fails because a standby did). */
    private static long awaitReadsOn(String expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = null;
        while (System.nanoTime() < deadline) {
            try (Connection r = ds.getReadConnection()) {
                last = LabDataSources.where(r);
            } catch (SQLException e) {
                last = e.toString();
            }
            if (expected.equals(last)) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("reads did not land on " + expected + " within " + seconds + " s; last: " + last);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
