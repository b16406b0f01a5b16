package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every meter exists as soon as the data source is built, before anything happens: a dashboard or an alert on
 * {@code increase(pgflip.failovers)} sees the series from the start. Real HikariCP pools, never connected (nothing
 * listens on the ports and the cluster is not started).
 */
class MetricsAtBuildTest {
    private static final String WRITE = "127.0.0.1:1";
    private static final String READ_1 = "127.0.0.1:2";
    private static final String READ_2 = "127.0.0.1:3";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ClusterConfig.Builder builder() {
        return ClusterDataSource.builder().name("m").write(WRITE).read(READ_1, READ_2).database("postgres")
                .user("postgres").meterRegistry(registry);
    }

    @Test
    void everyPgflipMeterIsRegisteredAtBuildWithCountersAtZero() {
        Cluster cluster = new Cluster(builder().config());
        try {
            assertThat(registry.get("pgflip.failovers").tag("host", WRITE).counter().count())
                    .as("before the first failover").isZero();
            assertThat(registry.get("pgflip.retries").counter().count()).isZero();
            assertThat(registry.get("pgflip.commits.ambiguous").counter().count()).isZero();
            for (String host : new String[] {WRITE, READ_1, READ_2}) {
                String role = host.equals(WRITE) ? "writer" : "reader";
                assertThat(registry.get("pgflip.routed").tag("role", role).tag("host", host).counter().count()).isZero();
                assertThat(registry.get("pgflip.evictions").tag("role", role).tag("host", host).counter().count())
                        .isZero();
                registry.get("pgflip.host.healthy").tag("role", role).tag("host", host).gauge();
                registry.get("pgflip.host.replay.lag").tag("role", role).tag("host", host).timeGauge();
            }
            for (String reader : new String[] {READ_1, READ_2}) {
                assertThat(registry.get("pgflip.routed").tag("role", "writer").tag("host", reader).counter().count())
                        .as("the direct writer pool %s may get during a failover", reader).isZero();
            }
        } finally {
            cluster.close();
        }
        assertThat(registry.getMeters()).as("closing removes them all").isEmpty();
    }

    @Test
    void aFailoverCountsOnTheCounterRegisteredAtBuild() {
        Cluster cluster = new Cluster(builder().config());
        try {
            var failovers = registry.get("pgflip.failovers").tag("host", WRITE).counter();
            cluster.metrics().failover(HostSpec.parse(WRITE));
            assertThat(failovers.count()).isEqualTo(1);
            assertThat(registry.find("pgflip.failovers").counters()).hasSize(1);
        } finally {
            cluster.close();
        }
        cluster.metrics().failover(HostSpec.parse(WRITE));
        assertThat(registry.find("pgflip.failovers").counters()).as("a late state change registers nothing").isEmpty();
    }

    @Test
    void withoutDirectWritesNoReaderHostHasWriterCounters() {
        Cluster cluster = new Cluster(builder().directWrites(false).config());
        try {
            assertThat(registry.find("pgflip.routed").tag("role", "writer").counters()).hasSize(1);
        } finally {
            cluster.close();
        }
    }

    @Test
    void replicaLagIsATimeGaugeInTheRegistrysBaseUnit() {
        Cluster cluster = new Cluster(builder().config());
        try {
            TimeGauge lag = registry.get("pgflip.host.replay.lag").tag("role", "reader").tag("host", READ_1)
                    .timeGauge();
            assertThat(lag.baseTimeUnit()).isEqualTo(TimeUnit.SECONDS);
            assertThat(lag.value(TimeUnit.MILLISECONDS)).as("no probe answered yet").isZero();
        } finally {
            cluster.close();
        }
    }

    @Test
    void hikariCpsOwnMetersAreBoundOnEveryPoolUnderItsStableName() {
        Cluster cluster = new Cluster(builder().maxPoolSize(7).config());
        try {
            for (String pool : new String[] {"pgflip-m-writer", "pgflip-m-reader-1", "pgflip-m-reader-2"}) {
                assertThat(registry.get("hikaricp.connections.active").tag("pool", pool).gauge().value()).isZero();
                assertThat(registry.get("hikaricp.connections.max").tag("pool", pool).gauge().value()).isEqualTo(7);
                registry.get("hikaricp.connections.acquire").tag("pool", pool).timer();
            }
        } finally {
            cluster.close();
        }
        assertThat(registry.find("hikaricp.connections.active").gauges()).as("removed with the data source").isEmpty();
    }

    @Test
    void aRenewedPoolKeepsItsHikariCpMetersReadingTheNewGeneration() {
        ClusterMetrics metrics = ClusterMetrics.create(registry);
        HikariPoolFactory factory = new HikariPoolFactory(builder().maxPoolSize(5).config(), metrics.poolTrackers());
        // The old generation closes on the caller's thread, so it has closed when renew() returns.
        try (HostPools pools = new HostPools(factory, metrics, Runnable::run, Runnable::run);
                HostPool pool = pools.member(HostSpec.parse(WRITE), Role.WRITER, "pgflip-m-writer")) {
            pool.renew();
            pool.renew();
            assertThat(registry.find("hikaricp.connections.max").tag("pool", "pgflip-m-writer").gauges())
                    .as("the old generations' close left the pool's meters").hasSize(1);
            assertThat(registry.get("hikaricp.connections.max").tag("pool", "pgflip-m-writer").gauge().value())
                    .isEqualTo(5);
            assertThat(registry.get("hikaricp.connections").tag("pool", "pgflip-m-writer").gauge().value())
                    .isZero();
        } finally {
            metrics.close();
        }
        assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
    }
}
