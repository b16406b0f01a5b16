package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterDataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code pgflip} health indicator, when Spring Boot's health support is present; off with {@code management.health.pgflip.enabled=false}. */
@AutoConfiguration(after = PgflipAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ClusterDataSource.class)
@ConditionalOnEnabledHealthIndicator("pgflip")
public class PgflipHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "pgflipHealthIndicator")
    public PgflipHealthIndicator pgflipHealthIndicator(ClusterDataSource dataSource) {
        return new PgflipHealthIndicator(dataSource);
    }
}
