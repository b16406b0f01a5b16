package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.PoolStatus;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.metadata.AbstractDataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;

/**
 * Spring Boot's view of a {@link ClusterDataSource}'s pool: the writer pool ({@code pgflip-<name>-writer}), where every
 * connection without read intent comes from. With it, Boot's {@code jdbc.connections.active}, {@code .idle},
 * {@code .max} and {@code .min} (tagged {@code name=dataSource}) and {@code /actuator/metrics/jdbc.connections.*}
 * report that pool, as they would a plain HikariCP data source's. The readers' pools are in HikariCP's own
 * {@code hikaricp.connections.*}, tagged by pool.
 */
final class ClusterDataSourcePoolMetadata extends AbstractDataSourcePoolMetadata<ClusterDataSource> {

    ClusterDataSourcePoolMetadata(ClusterDataSource dataSource) {
        super(dataSource);
    }

    /** Metadata for a ClusterDataSource (or a Spring proxy of one), null for any other data source. */
    static DataSourcePoolMetadataProvider provider() {
        return ds -> {
            ClusterDataSource cluster = DataSourceUnwrapper.unwrap(ds, ClusterDataSource.class);
            return cluster == null ? null : new ClusterDataSourcePoolMetadata(cluster);
        };
    }

    private PoolStatus writer() {
        return getDataSource().writerPool();
    }

    @Override
    public Integer getActive() {
        return writer().active();
    }

    @Override
    public Integer getIdle() {
        return writer().idle();
    }

    @Override
    public Integer getMax() {
        return writer().max();
    }

    @Override
    public Integer getMin() {
        return writer().min();
    }

    /** None: HikariCP checks a connection with JDBC's isValid(). */
    @Override
    public String getValidationQuery() {
        return null;
    }

    /** HikariCP's default, which pgflip keeps: connections are lent in auto-commit mode. */
    @Override
    public Boolean getDefaultAutoCommit() {
        return Boolean.TRUE;
    }
}
