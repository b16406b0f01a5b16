package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.internal.PropertiesBinding;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Properties;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** HikariCP's other settings passed to every pool, the ones pgflip chooses refused, and the optional JMX MBeans. */
class HikariPassThroughTest {

    private static ClusterConfig.Builder seed() {
        return ClusterDataSource.builder().write("198.18.0.100:5432").database("postgres").user("postgres");
    }

    @Test
    void hikariCpsNamesAndSpringsKebabCaseBothReachTheConfigUnderHikariCpsName() {
        ClusterConfig c = seed().hikari("connectionInitSql", "SET statement_timeout = '5s'")
                .hikari("transaction-isolation", "TRANSACTION_REPEATABLE_READ").hikari("autoCommit", "false").config();
        assertThat(c.hikari()).containsExactly(Map.entry("connectionInitSql", "SET statement_timeout = '5s'"),
                Map.entry("transactionIsolation", "TRANSACTION_REPEATABLE_READ"), Map.entry("autoCommit", "false"));
    }

    @Test
    void aSettingPgflipChoosesIsRefusedNamingTheKeyToUseInstead() {
        assertThatThrownBy(() -> seed().hikari("maximumPoolSize", "20").hikari("read-only", "true")
                .hikari("registerMbeans", "true").config())
                .hasMessageContaining("pgflip.hikari.maximumPoolSize (hikari) is set by pgflip: use pgflip.pool.max")
                .hasMessageContaining("pgflip.hikari.read-only (hikari) is set by pgflip: use nothing: pgflip chooses"
                        + " it per role")
                .hasMessageContaining("pgflip.hikari.registerMbeans (hikari) is set by pgflip: use pgflip.jmx");
    }

    @Test
    void everyBadValueIsNamedAtOnce() {
        assertThatThrownBy(() -> seed().hikari("autoCommit", "yes").hikari("transactionIsolation", "SNAPSHOT")
                .hikari("validationTimeout", "100").hikari("exceptionOverrideClassName", "java.lang.String")
                .hikari("connectionInitSqls", "SELECT 1").config())
                .hasMessageContaining("pgflip.hikari.autoCommit (hikari) = 'yes': expected true or false")
                .hasMessageContaining("pgflip.hikari.transactionIsolation (hikari) = 'SNAPSHOT': expected"
                        + " TRANSACTION_READ_COMMITTED")
                .hasMessageContaining("pgflip.hikari.validationTimeout (hikari) = '100': expected milliseconds >= 250")
                .hasMessageContaining("'java.lang.String': expected a class implementing"
                        + " com.zaxxer.hikari.SQLExceptionOverride")
                .hasMessageContaining("pgflip.hikari.connectionInitSqls (hikari) is not a HikariCP setting pgflip"
                        + " passes on: expected one of [allowPoolSuspension, autoCommit, catalog");
    }

    @Test
    void oneSettingInBothSpellingsIsAnError() {
        assertThatThrownBy(() -> seed().hikari("connectionInitSql", "SELECT 1").hikari("connection-init-sql",
                "SELECT 2").config())
                .hasMessageContaining("pgflip.hikari.connection-init-sql (hikari) is given twice");
    }

    @Test
    void propertiesBindTheHikariPrefixAndJmx() {
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100:5432");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        p.setProperty("pgflip.hikari.connection-test-query", "SELECT 1");
        p.setProperty("pgflip.jmx", "true");
        ClusterConfig c = PropertiesBinding.builder(p).config();
        assertThat(c.hikari()).containsExactly(Map.entry("connectionTestQuery", "SELECT 1"));
        assertThat(c.jmx()).isTrue();
        assertThat(seed().config().jmx()).as("off by default").isFalse();
    }

    @Test
    void withJmxEachPoolHasHikariCpsMBeanUntilClose() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        ObjectName writer = new ObjectName("com.zaxxer.hikari:type=Pool (pgflip-jmxtest-writer)");
        ObjectName reader = new ObjectName("com.zaxxer.hikari:type=Pool (pgflip-jmxtest-reader-1)");
        try (ClusterDataSource ds = Loopback.closedPorts().name("jmxtest").jmx(true).build()) {
            assertThat(platform.isRegistered(writer)).isTrue();
            assertThat(platform.isRegistered(reader)).isTrue();
            assertThat(platform.getAttribute(writer, "ActiveConnections")).isEqualTo(0);
        }
        assertThat(platform.isRegistered(writer)).isFalse();
        assertThat(platform.isRegistered(reader)).isFalse();
    }

    @Test
    void withoutJmxNoPoolIsRegistered() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        try (ClusterDataSource ds = Loopback.closedPorts().name("nojmx").build()) {
            assertThat(platform.queryNames(new ObjectName("com.zaxxer.hikari:type=Pool (pgflip-nojmx-*"), null))
                    .isEmpty();
        }
    }
}
