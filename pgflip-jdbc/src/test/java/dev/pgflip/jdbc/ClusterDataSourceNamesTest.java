package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The threads of two data sources in one JVM never share a name: each carries the data source's name, as its pools do.
 * Before, both had e.g. {@code pgflip-monitor-writer-127.0.0.1:1} and {@code pgflip-pool-prewarmer}.
 */
class ClusterDataSourceNamesTest {

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix))
                .sorted().toList();
    }

    @Test
    void twoNamedDataSourcesOnTheSameHostsHaveTheirOwnThreads() {
        try (ClusterDataSource a = Loopback.closedPorts().name("threads-a").build();
                ClusterDataSource b = Loopback.closedPorts().name("threads-b").build()) {
            for (ClusterDataSource ds : List.of(a, b)) {
                String label = "pgflip-" + ds.name();
                assertThat(threadsNamed(label + "-")).contains(
                        label + "-writer:monitor " + Loopback.WRITE,
                        label + "-reader-1:monitor " + Loopback.READ,
                        label + "-writer:housekeeper",
                        label + "-reader-1:housekeeper").doesNotHaveDuplicates();
            }
            assertThat(threadsNamed("pgflip-threads-a")).doesNotContainAnyElementsOf(threadsNamed("pgflip-threads-b"));
        }
    }

    @Test
    void unnamedDataSourcesAreNumberedAndTheirThreadsWithThem() {
        try (ClusterDataSource a = Loopback.closedPorts().build();
                ClusterDataSource b = Loopback.closedPorts().build()) {
            assertThat(a.name()).matches("[0-9]+").isNotEqualTo(b.name());
            assertThat(a.config().name()).as("the configuration says it was not set").isNull();
            assertThat(threadsNamed("pgflip-" + a.name() + "-")).contains("pgflip-" + a.name() + "-writer:monitor "
                    + Loopback.WRITE);
            assertThat(threadsNamed("pgflip-" + b.name() + "-")).contains("pgflip-" + b.name() + "-writer:monitor "
                    + Loopback.WRITE);
        }
    }

    @Test
    void theWriterPoolStatusNamesThePoolAndItsLimits() {
        try (ClusterDataSource ds = Loopback.closedPorts().name("status").maxPoolSize(6).minIdle(0).build()) {
            assertThat(ds.writerPool()).isEqualTo(new PoolStatus("pgflip-status-writer", 0, 0, 6, 0));
        }
    }
}
