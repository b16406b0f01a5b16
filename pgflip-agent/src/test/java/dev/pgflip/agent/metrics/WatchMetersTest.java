package dev.pgflip.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.digitalocean.ApiOperation;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.FlipCheck;
import dev.pgflip.agent.node.SyncState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WatchMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final WatchMeters meters = new WatchMeters(registry, clock::get);

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void everyStateMeterExistsBeforeTheFirstEventWithNoRoleNoFenceAndNoSync() {
        for (NodeRole role : NodeRole.values()) {
            assertThat(gauge(WatchMeters.ROLE, "role", role.name().toLowerCase())).isZero();
        }
        assertThat(gauge(WatchMeters.FLIP_HELD)).isNaN();
        assertThat(gauge(WatchMeters.FLIP_CORRECT)).isNaN();
        assertThat(gauge(WatchMeters.FENCED, "reason", "isolated")).isZero();
        assertThat(gauge(WatchMeters.FENCED, "reason", "outranked")).isZero();
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "none")).isEqualTo(1);
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "sync")).isZero();
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "async")).isZero();
        assertThat(registry.get(WatchMeters.RECONCILE_AGE).timeGauge().value(TimeUnit.SECONDS)).isZero();
        assertThat(registry.get(WatchMeters.PROMOTIONS).counter().count()).isZero();
        assertThat(registry.get(WatchMeters.POSSIBLE_DATA_LOSS).counter().count()).isZero();
    }

    @Test
    void theRoleGaugeIsOneForTheRoleSeenAndZeroForTheOthers() {
        meters.roleSeen(NodeRole.STANDBY);
        assertThat(gauge(WatchMeters.ROLE, "role", "standby")).isEqualTo(1);
        assertThat(gauge(WatchMeters.ROLE, "role", "primary")).isZero();
        assertThat(gauge(WatchMeters.ROLE, "role", "unreachable")).isZero();
        meters.roleSeen(NodeRole.PRIMARY);
        assertThat(gauge(WatchMeters.ROLE, "role", "primary")).isEqualTo(1);
        assertThat(gauge(WatchMeters.ROLE, "role", "standby")).isZero();
    }

    @Test
    void theIpHeldHereIsHeldAndCorrect() {
        meters.roleSeen(NodeRole.PRIMARY);
        meters.flipChecked(FlipCheck.HELD);
        assertThat(gauge(WatchMeters.FLIP_HELD)).isEqualTo(1);
        assertThat(gauge(WatchMeters.FLIP_CORRECT)).isEqualTo(1);
    }

    @Test
    void theIpFoundElsewhereIsNeitherHeldNorCorrect() {
        meters.roleSeen(NodeRole.PRIMARY);
        meters.flipChecked(FlipCheck.ELSEWHERE);
        assertThat(gauge(WatchMeters.FLIP_HELD)).isZero();
        assertThat(gauge(WatchMeters.FLIP_CORRECT)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = FlipCheck.class, names = {"WITHHELD", "REFUSED", "FENCED", "FAILED"})
    void aReconcileThatDidNotLookIsUnknownHeldButNotCorrect(FlipCheck check) {
        meters.roleSeen(NodeRole.PRIMARY);
        meters.flipChecked(FlipCheck.HELD);
        meters.flipChecked(check);
        assertThat(gauge(WatchMeters.FLIP_HELD)).isNaN();
        assertThat(gauge(WatchMeters.FLIP_CORRECT)).isZero();
    }

    @Test
    void aNodeThatStopsBeingPrimaryForgetsWhereTheIpWas() {
        meters.roleSeen(NodeRole.PRIMARY);
        meters.flipChecked(FlipCheck.HELD);
        meters.roleSeen(NodeRole.STANDBY);
        assertThat(gauge(WatchMeters.FLIP_HELD)).isNaN();
        assertThat(gauge(WatchMeters.FLIP_CORRECT)).isNaN();
    }

    @Test
    void theFenceGaugeCarriesTheReasonAndDropsWhenLifted() {
        meters.fenceSeen(Optional.of(FenceState.Kind.ISOLATED));
        assertThat(gauge(WatchMeters.FENCED, "reason", "isolated")).isEqualTo(1);
        assertThat(gauge(WatchMeters.FENCED, "reason", "outranked")).isZero();
        meters.fenceSeen(Optional.of(FenceState.Kind.OUTRANKED));
        assertThat(gauge(WatchMeters.FENCED, "reason", "isolated")).isZero();
        assertThat(gauge(WatchMeters.FENCED, "reason", "outranked")).isEqualTo(1);
        meters.fenceSeen(Optional.empty());
        assertThat(gauge(WatchMeters.FENCED, "reason", "outranked")).isZero();
    }

    @Test
    void theSyncGaugeIsOneForTheStateInForce() {
        meters.syncSeen(SyncState.SYNC);
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "sync")).isEqualTo(1);
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "none")).isZero();
        meters.syncSeen(SyncState.ASYNC);
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "async")).isEqualTo(1);
        assertThat(gauge(WatchMeters.SYNC_STATE, "state", "sync")).isZero();
    }

    @Test
    void theReconcileAgeGrowsOnTheClockAndRestartsAtEveryLook() {
        clock.addAndGet(Duration.ofSeconds(7).toNanos());
        assertThat(registry.get(WatchMeters.RECONCILE_AGE).timeGauge().value(TimeUnit.SECONDS)).isEqualTo(7);
        meters.roleSeen(NodeRole.STANDBY);
        assertThat(registry.get(WatchMeters.RECONCILE_AGE).timeGauge().value(TimeUnit.SECONDS)).isZero();
        clock.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(registry.get(WatchMeters.RECONCILE_AGE).timeGauge().value(TimeUnit.SECONDS)).isEqualTo(1.5);
    }

    @Test
    void aStandbysRepmgrdIsReportedRunningOrNotWithTheAgeOfItsLastSightOfTheUpstream() {
        assertThat(gauge(WatchMeters.REPMGRD_RUNNING)).as("before the first read").isNaN();
        assertThat(registry.get(WatchMeters.REPMGRD_UPSTREAM_LAST_SEEN).timeGauge().value(TimeUnit.SECONDS)).isNaN();

        meters.standbyRepmgrdSeen(true, 0);
        assertThat(gauge(WatchMeters.REPMGRD_RUNNING)).isEqualTo(1);
        assertThat(registry.get(WatchMeters.REPMGRD_UPSTREAM_LAST_SEEN).timeGauge().value(TimeUnit.SECONDS)).isZero();

        meters.standbyRepmgrdSeen(false, 42);
        assertThat(gauge(WatchMeters.REPMGRD_RUNNING)).isZero();
        assertThat(registry.get(WatchMeters.REPMGRD_UPSTREAM_LAST_SEEN).timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(42);

        meters.standbyRepmgrdSeen(true, -1); // running, has not looked since PostgreSQL started
        assertThat(registry.get(WatchMeters.REPMGRD_UPSTREAM_LAST_SEEN).timeGauge().value(TimeUnit.SECONDS)).isNaN();

        meters.repmgrdNotJudged(); // promoted
        assertThat(gauge(WatchMeters.REPMGRD_RUNNING)).isNaN();
        assertThat(registry.get(WatchMeters.REPMGRD_UPSTREAM_LAST_SEEN).timeGauge().value(TimeUnit.SECONDS)).isNaN();
    }

    @Test
    void promotionsAndPossibleDataLossAreCounted() {
        meters.promoted();
        meters.promoted();
        meters.possibleDataLoss();
        assertThat(registry.get(WatchMeters.PROMOTIONS).counter().count()).isEqualTo(2);
        assertThat(registry.get(WatchMeters.POSSIBLE_DATA_LOSS).counter().count()).isEqualTo(1);
    }

    @Test
    void stuckRepmgrdConnectionsAreCountedEndedOrRefusedBothFromZero() {
        assertThat(registry.get(WatchMeters.REPMGRD_UNBLOCKS).tag("result", "refused").counter().count()).isZero();
        meters.repmgrdUnblocked(true);
        meters.repmgrdUnblocked(true);
        meters.repmgrdUnblocked(false);
        assertThat(registry.get(WatchMeters.REPMGRD_UNBLOCKS).tag("result", "ended").counter().count()).isEqualTo(2);
        assertThat(registry.get(WatchMeters.REPMGRD_UNBLOCKS).tag("result", "refused").counter().count()).isEqualTo(1);
    }

    @Test
    void repmgrdWakeUpsAreCountedSentOrRefusedBothFromZero() {
        assertThat(registry.get(WatchMeters.REPMGRD_WAKES).tag("result", "sent").counter().count()).isZero();
        meters.repmgrdWoken(true);
        meters.repmgrdWoken(false);
        meters.repmgrdWoken(true);
        assertThat(registry.get(WatchMeters.REPMGRD_WAKES).tag("result", "sent").counter().count()).isEqualTo(2);
        assertThat(registry.get(WatchMeters.REPMGRD_WAKES).tag("result", "refused").counter().count()).isEqualTo(1);
    }

    @Test
    void apiRequestsAreTimedByOperationStatusAndOutcome() {
        meters.completed(ApiOperation.GET_IP, OptionalInt.of(200), Duration.ofMillis(120));
        meters.completed(ApiOperation.GET_IP, OptionalInt.of(200), Duration.ofMillis(80));
        meters.completed(ApiOperation.ASSIGN, OptionalInt.of(429), Duration.ofMillis(40));
        meters.completed(ApiOperation.ASSIGN, OptionalInt.of(503), Duration.ofMillis(40));
        meters.completed(ApiOperation.ASSIGN, OptionalInt.empty(), Duration.ofSeconds(15));
        Timer ok = registry.get(WatchMeters.API_REQUESTS)
                .tags("operation", "get_ip", "status", "200", "outcome", "success").timer();
        assertThat(ok.count()).isEqualTo(2);
        assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
        assertThat(registry.get(WatchMeters.API_REQUESTS)
                .tags("operation", "assign", "status", "429", "outcome", "client_error").timer().count()).isEqualTo(1);
        assertThat(registry.get(WatchMeters.API_REQUESTS)
                .tags("operation", "assign", "status", "503", "outcome", "server_error").timer().count()).isEqualTo(1);
        assertThat(registry.get(WatchMeters.API_REQUESTS)
                .tags("operation", "assign", "status", "none", "outcome", "unknown").timer().count()).isEqualTo(1);
        assertThat(registry.get(WatchMeters.API_REQUESTS).timers()).hasSize(4);
    }

    @Test
    void everyMeterHasADescription() {
        meters.completed(ApiOperation.ACCOUNT, OptionalInt.of(200), Duration.ofMillis(1));
        for (Meter meter : registry.getMeters()) {
            if (meter.getId().getName().endsWith(".histogram")) {
                continue; // the simple registry's own gauges of the timer's buckets; Prometheus' are the timer's
            }
            assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
        }
    }
}
