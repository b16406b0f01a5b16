package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.ClusterDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's cap on how long one borrow waits inside HikariCP: the cluster caps borrows from a writer whose last probe
 * failed, so writers do not sit a whole slice (1 s) in a pool that cannot make connections. The pool here is a real
 * HostPool of a never-started cluster whose host is a closed port: HikariCP says how long the borrow waited.
 */
class PoolRouteTest {
    private static final Pattern WAITED = Pattern.compile("timed out after (\\d+)ms");
    private static Cluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = new Cluster(ClusterDataSource.builder().write("127.0.0.1:1").database("postgres").user("postgres")
                .meterRegistry(new SimpleMeterRegistry()).config());
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    @Test
    void aCappedBorrowGivesUpAtTheCapNotAtTheCallersTimeout() {
        PoolRoute capped = new PoolRoute(cluster.writer().pool(), () -> true, e -> {}, 50);

        assertThatThrownBy(() -> capped.borrow(5_000)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(waited(e)).as(e.getMessage()).isLessThan(HostPool.BORROW_SLICE_MS));
    }

    @Test
    void anUncappedBorrowWaitsTheWholeSlice() {
        PoolRoute uncapped = new PoolRoute(cluster.writer().pool(), () -> true, e -> {});

        assertThatThrownBy(() -> uncapped.borrow(5_000)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(waited(e)).as(e.getMessage()).isGreaterThanOrEqualTo(HostPool.BORROW_SLICE_MS));
    }

    private static long waited(SQLException e) {
        Matcher m = WAITED.matcher(String.valueOf(e.getMessage()));
        assertThat(m.find()).as("HikariCP's message says how long it waited: " + e.getMessage()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
