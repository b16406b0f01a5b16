package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import java.util.List;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Pool names: stable across a renewal and valid where HikariCP puts them in JMX. The clusters are never started. */
class PoolNamesTest {
    private static final HostSpec READ_1 = HostSpec.parse("127.0.0.1:2");
    private static final HostSpec READ_2 = HostSpec.parse("127.0.0.1:3");

    private static ClusterConfig.Builder twoReaders() {
        return ClusterDataSource.builder().write("127.0.0.1:1").read("127.0.0.1:2", "127.0.0.1:3")
                .database("postgres").user("postgres");
    }

    private static List<HostPool> pools(Cluster cluster) {
        return List.of(cluster.writer().pool(), cluster.reader(READ_1).pool(),
                cluster.reader(READ_2).pool());
    }

    @Test
    void eachPoolIsNamedAfterTheDataSourceAndItsRoleAndPlaceInTheReadList() {
        Cluster cluster = new Cluster(twoReaders().name("orders").config());
        try {
            assertThat(pools(cluster)).extracting(HostPool::name)
                    .containsExactly("pgflip-orders-writer", "pgflip-orders-reader-1", "pgflip-orders-reader-2");
            assertThat(pools(cluster)).extracting(HostPool::currentPoolName)
                    .as("the name HikariCP was given").containsExactly("pgflip-orders-writer",
                            "pgflip-orders-reader-1", "pgflip-orders-reader-2");
            assertThat(cluster.names().direct(2)).isEqualTo("pgflip-orders-direct-2");
        } finally {
            cluster.close();
        }
    }

    @Test
    void aRenewedPoolKeepsItsName() {
        Cluster cluster = new Cluster(twoReaders().name("orders").config());
        try {
            for (HostPool pool : pools(cluster)) {
                String before = pool.currentPoolName();
                pool.renew();
                pool.renew();
                assertThat(pool.currentPoolName()).isEqualTo(before).isEqualTo(pool.name());
            }
        } finally {
            cluster.close();
        }
    }

    @Test
    void unnamedDataSourcesGetDifferentNames() {
        Cluster first = new Cluster(twoReaders().config());
        Cluster second = new Cluster(twoReaders().config());
        try {
            assertThat(first.names().dataSource()).matches("[0-9]+");
            assertThat(first.writer().pool().name()).isEqualTo("pgflip-" + first.names().dataSource() + "-writer");
            assertThat(second.writer().pool().name()).isNotEqualTo(first.writer().pool().name());
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void poolNamesAreValidJmxNamesAndHikariCpAcceptsThemWithItsMBeansOn() throws MalformedObjectNameException {
        Cluster cluster = new Cluster(twoReaders().name("eu-west_1.orders").config());
        try {
            for (HostPool pool : pools(cluster)) {
                String name = pool.name();
                assertThat(name).doesNotContain(":", ",", "=", "*", "?", "\"");
                // HikariCP's two ObjectName shapes: the default and hikaricp.jmx.register2.0's.
                assertThat(new ObjectName("com.zaxxer.hikari:type=Pool (" + name + ")").getKeyProperty("type"))
                        .isEqualTo("Pool (" + name + ")");
                assertThat(new ObjectName("com.zaxxer.hikari:type=Pool,name=" + name).getKeyProperty("name"))
                        .isEqualTo(name);
                hikariWithMBeans(name).validate();
            }
        } finally {
            cluster.close();
        }
        assertThatThrownBy(() -> hikariWithMBeans("pgflip-writer-127.0.0.1:1-g1").validate())
                .as("the old name, with the host and generation in it")
                .hasMessageContaining("poolName cannot contain ':' when used with JMX");
    }

    @Test
    void threadsAreNamedAfterThePoolTheyServe() {
        PoolNames names = PoolNames.of("orders");
        assertThat(PoolNames.monitor(names.reader(1), READ_1))
                .isEqualTo("pgflip-orders-reader-1:monitor 127.0.0.1:2");
        assertThat(names.thread("pool-prewarmer")).isEqualTo("pgflip-orders:pool-prewarmer");
    }

    private static HikariConfig hikariWithMBeans(String poolName) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/postgres");
        hc.setPoolName(poolName);
        hc.setRegisterMbeans(true);
        return hc;
    }
}
