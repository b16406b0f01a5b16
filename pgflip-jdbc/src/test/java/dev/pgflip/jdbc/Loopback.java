package dev.pgflip.jdbc;

/**
 * Data sources that need no PostgreSQL: every host is a closed port on loopback, so the data source starts (each
 * monitor's first probe is refused at once and finds its host DOWN) and a borrow would wait for a writer that never
 * comes.
 */
final class Loopback {
    static final String WRITE = "127.0.0.1:1";
    static final String READ = "127.0.0.1:2";

    private Loopback() {
    }

    static ClusterConfig.Builder closedPorts() {
        return ClusterDataSource.builder().write(WRITE).read(READ).database("postgres").user("postgres");
    }
}
