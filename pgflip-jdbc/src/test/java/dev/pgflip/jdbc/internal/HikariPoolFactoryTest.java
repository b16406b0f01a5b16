package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.PoolStatus;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What each HikariCP pool is given; the pools are configured, never started. */
class HikariPoolFactoryTest {

    @Test
    void thePoolTimingsReachHikariCpAndSurviveItsValidation() {
        HikariPoolFactory factory = new HikariPoolFactory(ClusterDataSource.builder().write("127.0.0.1:1")
                .database("postgres").user("postgres").maxPoolSize(4).minIdle(1).idleTimeout(Duration.ofSeconds(20))
                .maxLifetime(Duration.ofMinutes(10)).keepaliveTime(Duration.ofMinutes(1))
                .leakDetectionThreshold(Duration.ofSeconds(5)).config());
        HikariConfig hc = factory.hikariConfig(HostSpec.parse("127.0.0.1:1"), Role.WRITER, false, "pgflip-t-writer");
        hc.validate();
        assertThat(hc.getPoolName()).isEqualTo("pgflip-t-writer");
        assertThat(hc.getMaximumPoolSize()).isEqualTo(4);
        assertThat(hc.getMinimumIdle()).isEqualTo(1);
        assertThat(hc.getIdleTimeout()).isEqualTo(20_000);
        assertThat(hc.getMaxLifetime()).isEqualTo(600_000);
        assertThat(hc.getKeepaliveTime()).isEqualTo(60_000);
        assertThat(hc.getLeakDetectionThreshold()).isEqualTo(5_000);
    }

    @Test
    void hikariCpsOtherSettingsReachEveryPool() {
        HikariPoolFactory factory = new HikariPoolFactory(ClusterDataSource.builder().write("127.0.0.1:1")
                .database("postgres").user("postgres").hikari("connection-init-sql", "SET statement_timeout = '5s'")
                .hikari("transactionIsolation", "TRANSACTION_REPEATABLE_READ").hikari("validationTimeout", "400")
                .hikari("autoCommit", "false").config());
        for (Role role : Role.values()) {
            HikariConfig hc = factory.hikariConfig(HostSpec.parse("127.0.0.1:1"), role, false, "pgflip-p-" + role);
            hc.validate();
            assertThat(hc.getConnectionInitSql()).isEqualTo("SET statement_timeout = '5s'");
            assertThat(hc.getTransactionIsolation()).isEqualTo("TRANSACTION_REPEATABLE_READ");
            assertThat(hc.getValidationTimeout()).isEqualTo(400);
            assertThat(hc.isAutoCommit()).isFalse();
        }
    }

    @Test
    void theDefaultsPassHikariCpsValidationUnchanged() {
        HikariPoolFactory factory = new HikariPoolFactory(ClusterDataSource.builder().write("127.0.0.1:1")
                .database("postgres").user("postgres").config());
        HikariConfig hc = factory.hikariConfig(HostSpec.parse("127.0.0.1:1"), Role.READER, false, "pgflip-t-reader-1");
        hc.validate();
        assertThat(hc.getMaxLifetime()).isEqualTo(1_800_000);
        assertThat(hc.getKeepaliveTime()).isEqualTo(120_000);
        assertThat(hc.getLeakDetectionThreshold()).isZero();
        assertThat(hc.getIdleTimeout()).isEqualTo(30_000);
    }

    @Test
    void readersPoolsAreReadOnlyAndWritersPoolsAreNot() {
        HikariPoolFactory factory = new HikariPoolFactory(ClusterDataSource.builder().write("127.0.0.1:1")
                .database("postgres").user("postgres").config());
        HostSpec host = HostSpec.parse("127.0.0.1:1");
        assertThat(factory.hikariConfig(host, Role.READER, false, "pgflip-r-reader").isReadOnly()).isTrue();
        assertThat(factory.hikariConfig(host, Role.WRITER, false, "pgflip-r-writer").isReadOnly()).isFalse();
        assertThat(factory.hikariConfig(host, Role.WRITER, true, "pgflip-r-direct").isReadOnly()).isFalse();
    }

    @Test
    void theStatusCountsWhatHikariCpHasLentAndHolds() throws Exception {
        HikariPoolFactory factory = new HikariPoolFactory(ClusterDataSource.builder().write("127.0.0.1:1")
                .database("postgres").user("postgres").maxPoolSize(4).minIdle(0).config());
        HikariConfig hc = factory.hikariConfig(HostSpec.parse("127.0.0.1:1"), Role.WRITER, false, "pgflip-s-writer");
        // HikariCP over a DataSource of inert connections instead of pgjdbc: no server needed to lend one.
        hc.setJdbcUrl(null);
        hc.setDataSourceProperties(new Properties());
        hc.setDataSource(inertConnections());
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            ConnectionSource source = new HikariPoolFactory.HikariSource(ds);
            assertThat(source.status()).isEqualTo(new PoolStatus("pgflip-s-writer", 0, 0, 4, 0));
            Connection lent = source.connection(1000);
            assertThat(source.status().active()).isEqualTo(1);
            lent.close();
            assertThat(source.status()).extracting(PoolStatus::active, PoolStatus::idle).containsExactly(0, 1);
        }
    }

    /** A DataSource whose connections answer HikariCP's setup calls with defaults (valid, auto-commit). */
    private static DataSource inertConnections() {
        Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isValid", "getAutoCommit" -> true;
                    case "isClosed", "isReadOnly" -> false;
                    case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
                    case "getNetworkTimeout" -> 0;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "inert connection";
                    default -> method.getReturnType() == boolean.class ? false
                            : method.getReturnType() == int.class ? 0 : null;
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> connection;
                    case "getLoginTimeout" -> 0;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "inert data source";
                    default -> method.getReturnType() == boolean.class ? false
                            : method.getReturnType() == int.class ? 0 : null;
                });
    }
}
