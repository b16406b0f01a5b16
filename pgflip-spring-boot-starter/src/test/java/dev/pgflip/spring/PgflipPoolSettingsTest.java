package dev.pgflip.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * HikariCP's settings and names under {@code pgflip.pool.*}, and the writer pool as Spring Boot's pool metadata (so
 * {@code jdbc.connections.*} work). Every host is a closed port on loopback: no database.
 */
class PgflipPoolSettingsTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PgflipAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withPropertyValues("pgflip.write=127.0.0.1:1", "pgflip.read=127.0.0.1:2", "pgflip.database=postgres",
                    "spring.datasource.username=postgres");

    private static ClusterConfig config(org.springframework.context.ApplicationContext context) {
        return context.getBean(ClusterDataSource.class).config();
    }

    @Test
    void hikariCpsTimingsAndTheProbeFailureCountBind() {
        runner.withPropertyValues("pgflip.pool.max-lifetime=20m", "pgflip.pool.keepalive-time=1m",
                "pgflip.pool.leak-detection-threshold=5s", "pgflip.down-after-probe-failures=3").run(context -> {
                    ClusterConfig c = config(context);
                    assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(20));
                    assertThat(c.keepaliveTime()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(c.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(c.downAfterProbeFailures()).isEqualTo(3);
                });
    }

    @Test
    void hikariCpsNamesBindBesidePgflipsOwn() {
        runner.withPropertyValues("pgflip.pool.maximumPoolSize=7", "pgflip.pool.minimum-idle=2",
                "pgflip.pool.maxLifetime=600000", "pgflip.pool.idleTimeout=20s").run(context -> {
                    ClusterConfig c = config(context);
                    assertThat(c.maxPoolSize()).isEqualTo(7);
                    assertThat(c.minIdle()).isEqualTo(2);
                    assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
                });
    }

    @Test
    void bothNamesOfOneSettingStopTheStartNamingBoth() {
        runner.withPropertyValues("pgflip.pool.max=5", "pgflip.pool.maximum-pool-size=7").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                    "pgflip.pool.max and pgflip.pool.maximum-pool-size are the same setting: expected one of them");
        });
    }

    @Test
    void aTimingHikariCpWouldReplaceStopsTheStartNamingTheKey() {
        runner.withPropertyValues("pgflip.pool.max-lifetime=10s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                    "pgflip.pool.max-lifetime (maxLifetime) = 10000 ms: expected 0 (never) or >= 30000 ms");
        });
    }

    @Test
    void springBootsPoolMetadataIsTheWriterPools() {
        runner.withPropertyValues("pgflip.pool.max=6", "pgflip.pool.min-idle=0").run(context -> {
            ClusterDataSource ds = context.getBean(ClusterDataSource.class);
            // As Boot asks them: every provider, the first that knows the data source answers (Boot's Hikari one too).
            DataSourcePoolMetadataProvider providers = new CompositeDataSourcePoolMetadataProvider(
                    context.getBeanProvider(DataSourcePoolMetadataProvider.class).orderedStream().toList());
            DataSourcePoolMetadata metadata = providers.getDataSourcePoolMetadata(ds);
            assertThat(metadata.getMax()).isEqualTo(6);
            assertThat(metadata.getMin()).isZero();
            assertThat(metadata.getActive()).isZero();
            assertThat(metadata.getIdle()).isZero();
            assertThat(metadata.getUsage()).isZero();
            assertThat(context.getBean("pgflipPoolMetadataProvider", DataSourcePoolMetadataProvider.class)
                    .getDataSourcePoolMetadata(new SimpleDriverDataSource())).as("not a ClusterDataSource").isNull();
        });
    }

    @Test
    void jdbcConnectionsMetersReportTheWriterPool() {
        runner.withConfiguration(AutoConfigurations.of(DataSourcePoolMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("pgflip.pool.max=6")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    // What Boot's metrics auto-configuration does with every MeterBinder bean.
                    context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry));
                    assertThat(registry.get("jdbc.connections.max").tag("name", "dataSource").gauge().value())
                            .isEqualTo(6);
                    assertThat(registry.get("jdbc.connections.active").tag("name", "dataSource").gauge().value())
                            .isZero();
                    registry.get("jdbc.connections.idle").tag("name", "dataSource").gauge();
                    registry.get("jdbc.connections.min").tag("name", "dataSource").gauge();
                });
    }
}
