package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterConfig;

/**
 * Adjusts the builder of the auto-configured {@code ClusterDataSource} after the {@code pgflip.*} properties were
 * applied and before it is validated and started: for settings that are not properties (the meter registry is set
 * this way). Beans of this type are applied in {@code @Order}.
 *
 * <pre>{@code
 * @Bean ClusterDataSourceCustomizer sslEverywhere() { return builder -> builder.property("sslmode", "verify-full"); }
 * }</pre>
 */
@FunctionalInterface
public interface ClusterDataSourceCustomizer {
    void customize(ClusterConfig.Builder builder);
}
