package dev.pgflip.lab.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.lab.LabFixture;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code pgflip.*} Micrometer meters on the real lab: routed reads counted on the standby, routed writes on the
 * FLIP, health and lag gauges per reader; then the standby killed: its health gauge drops, its pool eviction is
 * counted, and reads are counted on the primary instead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDataSourceMetricsIT {
    private static final String WRITER = LabFixture.FLIP + ":5432";
    private static final String STANDBY = LabFixture.N2 + ":5432";
    private static final String PRIMARY = LabFixture.N1 + ":5432";

    private static LabFixture lab;
    private static SimpleMeterRegistry registry;
    private static ClusterDataSource ds;

    @BeforeAll
    static void up() throws Exception {
        lab = LabFixture.up();
        registry = new SimpleMeterRegistry();
        ds = LabDataSources.seed().meterRegistry(registry).build();
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
    void readsAndWritesAreCountedOnTheHostsThatServedThem() throws Exception {
        ds.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS jdbc_it_metrics (id int PRIMARY KEY)");
            }
        });
        for (int i = 0; i < 5; i++) {
            int id = i;
            ds.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_it_metrics VALUES (?)")) {
                    ps.setInt(1, id);
                    ps.executeUpdate();
                }
            });
        }
        for (int i = 0; i < 10; i++) {
            read();
        }
        System.out.println("pgflip-it metrics before the kill:\n" + registry.getMetersAsString());

        assertThat(routed("writer", WRITER)).as("the CREATE and 5 inserts").isEqualTo(6);
        // A read whose first standby connection takes longer than the 250 ms reader slice goes to the primary: on a
        // loaded machine the very first one may. Every read is counted once, on the host that served it.
        assertThat(routed("reader", STANDBY) + routed("reader", PRIMARY)).as("every read counted once").isEqualTo(10);
        assertThat(routed("reader", STANDBY)).as("reads on the standby while it is healthy").isGreaterThanOrEqualTo(8);
        assertThat(healthy("writer", WRITER)).isEqualTo(1);
        assertThat(healthy("reader", STANDBY)).isEqualTo(1);
        assertThat(healthy("reader", PRIMARY)).as("a primary in the read list is a usable last resort").isEqualTo(1);
        // The gauge is 0 exactly when the standby has replayed all it received (HostMonitor's query); otherwise the
        // time since its last replayed transaction. This test is the only writer, and replication is synchronous: a
        // probe (every 500 ms) that lands between receive and replay of the last insert may see more than 0, the
        // next ones see 0. Anything but 0 for 5 s is a standby that does not replay.
        long lagUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lag("reader", STANDBY) != 0 && System.nanoTime() < lagUntil) {
            Thread.sleep(20);
        }
        assertThat(lag("reader", STANDBY)).as("sync replication, idle: replayed everything").isZero();
        assertThat(lag("reader", PRIMARY)).isZero();
        assertThat(registry.get("pgflip.retries").counter().count()).isZero();
        assertThat(registry.get("pgflip.commits.ambiguous").counter().count()).isZero();
        assertThat(evictions("reader", STANDBY)).isZero();
        // HikariCP's own meters, one series per pool, named pgflip-<name>-writer / -reader-<n>: existing dashboards work.
        assertThat(hikariPools()).anyMatch(p -> p.endsWith("-writer")).anyMatch(p -> p.contains("-reader-"))
                .doesNotHaveDuplicates();
        String writerPool = hikariPools().stream().filter(p -> p.endsWith("-writer")).findFirst().orElseThrow();
        assertThat(registry.get("hikaricp.connections").tag("pool", writerPool).gauge().value())
                .as("the writer pool's connections, as HikariCP counts them").isGreaterThanOrEqualTo(1);
    }

    /** The {@code pool} tag of every {@code hikaricp.connections.active} series. */
    private static java.util.List<String> hikariPools() {
        return registry.find("hikaricp.connections.active").gauges().stream().map(g -> g.getId().getTag("pool")).toList();
    }

    @Test
    @Order(2)
    void killingTheStandbyDropsItsHealthGaugeAndCountsTheEviction() throws Exception {
        lab.fault("kill", "n2");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (healthy("reader", STANDBY) != 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(healthy("reader", STANDBY)).as("standby health gauge after kill -9").isZero();
        // The eviction follows the state change on the monitor's thread: a moment later, not at the same instant.
        while (evictions("reader", STANDBY) < 1 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(evictions("reader", STANDBY)).as("the standby's pool evicted").isGreaterThanOrEqualTo(1);
        read(); // the primary's reader pool may have no idle connection yet: its first one is made here
        double onPrimary = routed("reader", PRIMARY);
        double onWriter = routed("writer", WRITER);
        double onStandby = routed("reader", STANDBY);
        for (int i = 0; i < 5; i++) {
            read();
        }
        // A read waits at most one 250 ms slice per reader pool, then borrows from the writer: on a loaded CI machine
        // a new connection can take longer. Either way it lands on n1, the primary, never on the dead standby.
        assertThat(routed("reader", PRIMARY) - onPrimary + routed("writer", WRITER) - onWriter)
                .as("reads now counted on the primary (its reader pool, or the writer as the last resort)").isEqualTo(5);
        assertThat(routed("reader", PRIMARY)).as("the primary's reader pool took reads").isGreaterThan(onPrimary);
        assertThat(routed("reader", STANDBY)).as("nothing lent on the dead standby").isEqualTo(onStandby);
        assertThat(healthy("writer", WRITER)).as("the writer is unaffected").isEqualTo(1);
        assertThat(hikariPools()).as("one series per pool, also after the dead standby's pool was renewed")
                .doesNotHaveDuplicates();
        System.out.println("pgflip-it metrics after the standby kill:\n" + registry.getMetersAsString());
    }

    @Test
    @Order(3)
    void closingTheDataSourceRemovesItsMeters() {
        ds.close();
        ds = null;
        assertThat(registry.find("pgflip.routed").meters()).isEmpty();
        assertThat(registry.find("pgflip.host.healthy").meters()).isEmpty();
        assertThat(registry.find("hikaricp.connections.active").meters()).isEmpty();
    }

    private static void read() throws Exception {
        try (Connection r = ds.getReadConnection(); Statement s = r.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM jdbc_it_metrics")) {
            rs.next();
        }
    }

    private static RequiredSearch meter(String name, String role, String host) {
        return registry.get(name).tag("role", role).tag("host", host);
    }

    private static double routed(String role, String host) {
        return meter("pgflip.routed", role, host).counter().count();
    }

    private static double evictions(String role, String host) {
        return meter("pgflip.evictions", role, host).counter().count();
    }

    private static double healthy(String role, String host) {
        return meter("pgflip.host.healthy", role, host).gauge().value();
    }

    private static double lag(String role, String host) {
        return meter("pgflip.host.replay.lag", role, host).gauge().value();
    }
}
