package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.HostSpec;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** One MBean per pool that outlives the pool's renewals, over fake pools and a private MBean server. */
class PoolMBeansTest {
    private static final HostSpec N1 = HostSpec.parse("10.0.0.1:5432");
    private static final HostSpec N2 = HostSpec.parse("10.0.0.2:5432");
    private final FakePools fakes = new FakePools();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final HostPools pools = new HostPools(fakes, ClusterMetrics.NONE, Runnable::run, Runnable::run,
            new PoolMBeans(server));

    @Test
    void thePoolsMBeanHasHikariCpsNameAndFollowsTheGenerationServingNow() throws Exception {
        HostPool writer = pools.member(N1, Role.WRITER, "pgflip-t-writer");
        ObjectName name = new ObjectName("com.zaxxer.hikari:type=Pool (pgflip-t-writer)");
        assertThat(server.isRegistered(name)).isTrue();
        assertThat(server.getAttribute(name, "TotalConnections")).isEqualTo(0);

        writer.renew();
        assertThat(server.isRegistered(name)).as("a renewal keeps the MBean").isTrue();
        int byTheRenewal = fakes.on(N1).get(0).evictions;
        server.invoke(name, "softEvictConnections", null, null);
        assertThat(fakes.on(N1).get(1).evictions).as("the new generation is the one evicted").isEqualTo(1);
        assertThat(fakes.on(N1).get(0).evictions).isEqualTo(byTheRenewal);

        writer.close();
        assertThat(server.isRegistered(name)).as("closed for good: the MBean goes").isFalse();
    }

    @Test
    void aRetiringPoolLeavesTheMBeanOfItsSuccessorWithTheSameName() throws Exception {
        HostPool old = pools.direct(N2, "pgflip-t-direct-1");
        Lease stillLent = old.borrow(1000);
        old.closeWhenIdle();
        HostPool successor = pools.direct(N2, "pgflip-t-direct-1");
        ObjectName name = new ObjectName("com.zaxxer.hikari:type=Pool (pgflip-t-direct-1)");

        stillLent.close();
        assertThat(fakes.on(N2).get(0).closed()).as("the old pool closed with its last return").isTrue();
        assertThat(server.isRegistered(name)).as("the successor's MBean stays").isTrue();
        server.invoke(name, "softEvictConnections", null, null);
        assertThat(fakes.on(N2).get(1).evictions).isEqualTo(1);

        successor.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void suspendingIsRefusedWithTheReason() {
        HostPool reader = pools.member(N2, Role.READER, "pgflip-t-reader-1");
        PoolMBeans.PoolView view = new PoolMBeans.PoolView(reader);
        assertThatThrownBy(view::suspendPool).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("routes around a host itself");
    }
}
