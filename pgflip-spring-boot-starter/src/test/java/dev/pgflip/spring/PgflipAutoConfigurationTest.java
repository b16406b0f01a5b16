package dev.pgflip.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.ReaderSelection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The auto-configuration without a database: every host is a closed port on loopback, so the data source starts, its
 * monitors find every host DOWN, and nothing else is needed.
 */
class PgflipAutoConfigurationTest {
    private static final String WRITE = "127.0.0.1:1";
    private static final String READ = "127.0.0.1:2, 127.0.0.1:3";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PgflipAutoConfiguration.class, PgflipHealthAutoConfiguration.class,
                    DataSourceAutoConfiguration.class));

    private ApplicationContextRunner seed() {
        return runner.withPropertyValues("pgflip.write=" + WRITE, "pgflip.read=" + READ, "pgflip.database=postgres",
                "spring.datasource.username=postgres", "spring.datasource.password=123456");
    }

    @Test
    void pgflipPropertiesMakeTheApplicationsDataSourceAClusterDataSource() {
        seed().withPropertyValues("pgflip.name=countries", "pgflip.pool.max=7", "pgflip.pool.idle-timeout=45s", "pgflip.retry-deadline=4000",
                        "pgflip.reader-selection=least-busy", "pgflip.direct-writes=false",
                        "pgflip.property.ApplicationName=countries")
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    ClusterConfig c = context.getBean(ClusterDataSource.class).config();
                    assertThat(c.name()).isEqualTo("countries");
                    assertThat(context.getBean(ClusterDataSource.class).name()).isEqualTo("countries");
                    assertThat(c.writer()).isEqualTo(HostSpec.parse(WRITE));
                    assertThat(c.readers()).containsExactly(HostSpec.parse("127.0.0.1:2"), HostSpec.parse("127.0.0.1:3"));
                    assertThat(c.database()).isEqualTo("postgres");
                    assertThat(c.user()).as("from spring.datasource.username").isEqualTo("postgres");
                    assertThat(c.password().reveal()).as("from spring.datasource.password").isEqualTo("123456");
                    assertThat(c.maxPoolSize()).isEqualTo(7);
                    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(c.retryDeadline()).as("a bare number is milliseconds").isEqualTo(Duration.ofSeconds(4));
                    assertThat(c.readerSelection()).isEqualTo(ReaderSelection.LEAST_BUSY);
                    assertThat(c.directWrites()).isFalse();
                    assertThat(c.properties()).isEqualTo(Map.of("ApplicationName", "countries"));
                    assertThat(c.connectionTimeout()).as("unset: the builder's default").isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void hikariCpsOtherSettingsAndJmxBindFromApplicationProperties() {
        seed().withPropertyValues("pgflip.name=springjmx", "pgflip.hikari.connection-init-sql=SET statement_timeout = '5s'",
                        "pgflip.hikari.transactionIsolation=TRANSACTION_REPEATABLE_READ", "pgflip.jmx=true")
                .run(context -> {
                    ClusterConfig c = context.getBean(ClusterDataSource.class).config();
                    assertThat(c.hikari()).containsEntry("connectionInitSql", "SET statement_timeout = '5s'")
                            .containsEntry("transactionIsolation", "TRANSACTION_REPEATABLE_READ").hasSize(2);
                    assertThat(c.jmx()).isTrue();
                });
        seed().withPropertyValues("pgflip.hikari.maximum-pool-size=20").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining(
                        "pgflip.hikari.maximum-pool-size (hikari) is set by pgflip: use pgflip.pool.max"));
    }

    @Test
    void pgflipUserAndPasswordWinOverSpringDatasourceAndABlankPasswordLeavesItToPgpass() {
        seed().withPropertyValues("pgflip.user=app", "pgflip.password=secret").run(context -> {
            ClusterConfig c = context.getBean(ClusterDataSource.class).config();
            assertThat(c.user()).isEqualTo("app");
            assertThat(c.password().reveal()).isEqualTo("secret");
        });
        seed().withPropertyValues("spring.datasource.password=").run(context ->
                assertThat(context.getBean(ClusterDataSource.class).config().password()).isNull());
    }

    @Test
    void aMissingSettingStopsTheStartNamingTheKey() {
        runner.withPropertyValues("pgflip.read=" + READ, "spring.datasource.username=postgres").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = rootOfType(context.getStartupFailure(), InvalidPgflipConfigurationException.class);
            assertThat(failure.getMessage()).contains("pgflip.write (write) is missing")
                    .contains("pgflip.database (database) is missing").doesNotContain("pgflip.user");
        });
    }

    @Test
    void anUnknownPgflipKeyStopsTheStartNamingIt() {
        seed().withPropertyValues("pgflip.pool.maxx=20").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("pgflip.pool.maxx");
        });
    }

    @Test
    void theFailureAnalysisListsOneBadKeyPerLineAndSaysWhereSettingsComeFrom() {
        var analysis = new InvalidPgflipConfigurationFailureAnalyzer().analyze(new InvalidPgflipConfigurationException(
                "invalid pgflip configuration: pgflip.write (write) is missing: expected host[:port]; pgflip.pool.max"
                        + " (maxPoolSize) = 0: expected an integer >= 1", null));
        assertThat(analysis.getDescription().lines()).containsExactly("invalid pgflip configuration:",
                "    pgflip.write (write) is missing: expected host[:port]",
                "    pgflip.pool.max (maxPoolSize) = 0: expected an integer >= 1");
        assertThat(analysis.getAction()).contains("spring.datasource.username").contains("pgflip.enabled=false");
    }

    @Test
    void anApplicationsOwnDataSourceWinsAndPgflipBacksOff() {
        seed().withBean("myDataSource", DataSource.class, SimpleDriverDataSource::new).run(context -> {
            assertThat(context).hasSingleBean(DataSource.class).doesNotHaveBean(ClusterDataSource.class)
                    .doesNotHaveBean(PgflipHealthIndicator.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
        });
    }

    @Test
    void pgflipEnabledFalseLeavesTheDataSourceToSpringBoot() {
        seed().withPropertyValues("pgflip.enabled=false", "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/postgres")
                .run(context -> assertThat(context).doesNotHaveBean(ClusterDataSource.class)
                        .doesNotHaveBean(PgflipHealthIndicator.class));
    }

    @Test
    void theMetersArePublishedOnTheApplicationsMeterRegistry() {
        seed().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            context.getBean(ClusterDataSource.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("pgflip.host.healthy").gauges()).hasSize(3);
            assertThat(registry.get("pgflip.host.healthy").tag("role", "writer").tag("host", WRITE).gauge().value())
                    .as("nothing listens on the writer's port").isZero();
            assertThat(registry.find("pgflip.routed").counters())
                    .as("3 host pools, and the direct writer pools the 2 readers may get in a failover").hasSize(5);
            assertThat(registry.get("pgflip.failovers").tag("host", WRITE).counter().count()).isZero();
            assertThat(registry.get("hikaricp.connections.active").tag("pool", "pgflip-" + context
                    .getBean(ClusterDataSource.class).name() + "-writer").gauge().value()).isZero();
        });
    }

    @Test
    void healthIsDownWithEveryHostsStateWhileNoWriterAnswers() {
        seed().run(context -> {
            Health health = context.getBean(PgflipHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> writer = (Map<String, Object>) health.getDetails().get("writer");
            assertThat(writer).containsEntry("host", WRITE).containsEntry("state", "DOWN").containsEntry("usable", false)
                    .containsKey("lastFailure");
            assertThat((List<?>) health.getDetails().get("readers")).hasSize(2);
            assertThat(health.getDetails()).containsEntry("usableReaders", 0L);
        });
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        seed().withPropertyValues("management.health.pgflip.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(ClusterDataSource.class)
                        .doesNotHaveBean(PgflipHealthIndicator.class));
    }

    private static Throwable rootOfType(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
