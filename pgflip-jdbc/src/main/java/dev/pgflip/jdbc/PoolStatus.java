package dev.pgflip.jdbc;

/**
 * The connections of one HikariCP pool of a {@link ClusterDataSource} now, as HikariCP counts them: for pool metadata
 * such as Spring Boot's {@code jdbc.connections.*}. Taking it costs no connection and never blocks.
 *
 * <pre>{@code
 * PoolStatus w = dataSource.writerPool();   // pgflip-orders-writer active=3 idle=2 max=10
 * }</pre>
 *
 * @param pool   the pool's name, e.g. {@code pgflip-orders-writer}
 * @param active connections lent out
 * @param idle   connections open and waiting in the pool
 * @param max    the most the pool opens ({@code pgflip.pool.max})
 * @param min    the idle connections it keeps ({@code pgflip.pool.min-idle})
 */
public record PoolStatus(String pool, int active, int idle, int max, int min) {

    @Override
    public String toString() {
        return pool + " active=" + active + " idle=" + idle + " max=" + max + " min=" + min;
    }
}
