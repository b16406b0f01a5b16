package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link DataSource} is a {@link ClusterDataSource} built from {@code pgflip.*} (user and password
 * may come from {@code spring.datasource.*}), unless the application defines its own DataSource or sets
 * {@code pgflip.enabled=false}. Runs before Spring Boot's DataSource auto-configuration, which then backs off; JPA,
 * JdbcTemplate and the transaction managers use this one.
 *
 * <p>With Micrometer present, the data source publishes its {@code pgflip.*} meters on the application's
 * MeterRegistry (the one {@code /actuator/metrics} shows), HikariCP's {@code hikaricp.*} per pool beside them, and
 * Spring Boot's {@code jdbc.connections.*} report the writer pool ({@link ClusterDataSourcePoolMetadata}).
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(ClusterDataSource.class)
@ConditionalOnProperty(prefix = "pgflip", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({PgflipProperties.class, DataSourceProperties.class})
public class PgflipAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(PgflipAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    public ClusterDataSource dataSource(PgflipProperties pgflip, DataSourceProperties spring,
            ObjectProvider<ClusterDataSourceCustomizer> customizers) {
        if (spring.getUrl() != null) {
            log.warn("pgflip: spring.datasource.url={} is ignored: pgflip.write and pgflip.read say where to connect",
                    spring.getUrl());
        }
        try {
            ClusterConfig.Builder builder = pgflip.toBuilder(spring.getUsername(), spring.getPassword());
            customizers.orderedStream().forEach(c -> c.customize(builder));
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidPgflipConfigurationException(e.getMessage(), e);
        }
    }

    /** Boot's {@code jdbc.connections.*} and the data source's entry in {@code /actuator/metrics} read it. */
    @Bean
    public DataSourcePoolMetadataProvider pgflipPoolMetadataProvider() {
        return ClusterDataSourcePoolMetadata.provider();
    }

    /** Only loaded when Micrometer is on the class path: the data source then needs no Micrometer type. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MeterRegistryBinding {
        @Bean
        ClusterDataSourceCustomizer pgflipMeterRegistry(ObjectProvider<MeterRegistry> registry) {
            // ifUnique: Boot's composite registry is the primary one when several exist.
            return builder -> registry.ifUnique(builder::meterRegistry);
        }
    }
}
