package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import java.time.Duration;
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
}
