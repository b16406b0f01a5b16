package dev.pgflip.lab.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.lab.EmulatorApi;
import dev.pgflip.lab.LabFixture;
import dev.pgflip.lab.OnTheLab;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the primary while the DigitalOcean API refuses every connection, so the floating IP stays on the dead
 * node: with directWrites (the default) writes resume on the promoted standby, reached through its own address in the
 * read list, long before the API is back; once the watch daemon has moved the IP, writes go through it again. Every
 * acknowledged write is on the new primary.
 */
class ClusterDataSourceDirectWritesIT extends OnTheLab {
    private static final Duration API_OUTAGE = Duration.ofSeconds(20);
    @Test
    void writesGoToThePromotedStandbyDirectlyUntilTheFloatingIpCatchesUp() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmulatorApi api = lab.lab().emulatorApi();
        try (ClusterDataSource ds = LabDataSources.seed().meterRegistry(registry).build()) {
            WriteLoad.createTable(ds);
            WriteLoad load = new WriteLoad().start(ds, 2);
            Thread.sleep(2000);
            assertThat(load.acks).as("writes before the fault").isNotEmpty();

            api.refuseConnections(API_OUTAGE);
            long killed = lab.fault("kill", "n1");
            long apiBack = killed + API_OUTAGE.toNanos();

            WriteLoad.Ack firstOnN2 = awaitAck(load, killed, "/n2/", 30);
            assertThat(firstOnN2.atNanos()).as("a write landed on n2 while the API still refused connections")
                    .isLessThan(apiBack);
            assertThat(LabDataSources.flipAnswersAsPrimary()).as("the floating IP has not moved yet").isFalse();
            double directRouted = routed(registry, LabFixture.N2 + ":5432");
            assertThat(directRouted).as("writer connections lent on n2's own address").isGreaterThan(0);

            // The emulator refuses its admin calls too while it refuses connections: the outage runs its course.
            LabDataSources.awaitTrue(api::answers, (int) API_OUTAGE.toSeconds() + 10, "the API answers again");
            long restored = System.nanoTime();
            LabDataSources.awaitTrue(LabDataSources::flipAnswersAsPrimary, 30, "the watch daemon moves the floating IP to n2");
            double flipBefore = routed(registry, LabFixture.FLIP + ":5432");
            long flipBack = System.nanoTime();
            LabDataSources.awaitTrue(() -> routed(registry, LabFixture.FLIP + ":5432") > flipBefore + 5, 20,
                    "writes go through the floating IP again");
            load.close();

            Set<String> onN2 = new HashSet<>();
            try (Connection n2 = LabFixture.connect(LabFixture.N2); Statement s = n2.createStatement();
                 ResultSet rs = s.executeQuery("SELECT writer, seq FROM jdbc_it_load")) {
                while (rs.next()) {
                    onN2.add(rs.getInt(1) + "/" + rs.getInt(2));
                }
            }
            List<WriteLoad.Ack> missing = load.acks.stream()
                    .filter(a -> !onN2.contains(a.writer() + "/" + a.seq())).toList();
            long directAcks = load.acks.stream().filter(a -> a.atNanos() > killed && a.atNanos() < restored).count();
            System.out.printf("pgflip-it direct writes: first write on n2 %d ms after the kill (API refusing for %d s);"
                            + " %d writes acknowledged during the outage; FLIP back %d ms after the API; missing %d%n",
                    ms(firstOnN2.atNanos() - killed), API_OUTAGE.toSeconds(), directAcks, ms(flipBack - restored),
                    missing.size());
            assertThat(missing).as("acknowledged writes missing on the new primary").isEmpty();
        }
    }

    private static double routed(SimpleMeterRegistry registry, String host) {
        var counter = registry.find("pgflip.routed").tag("role", "writer").tag("host", host).counter();
        return counter == null ? 0 : counter.count();
    }

    private static WriteLoad.Ack awaitAck(WriteLoad load, long since, String serverPart, int seconds)
            throws InterruptedException {
        long deadline = since + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (WriteLoad.Ack a : List.copyOf(load.acks)) {
                if (a.atNanos() > since && a.server().contains(serverPart)) {
                    return a;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no write acknowledged by a server whose data directory contains " + serverPart
                + " within " + seconds + " s of the kill; failures: " + load.failures.stream().limit(3).toList());
    }


    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
