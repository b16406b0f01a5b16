package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.HostSpec;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The direct writer pools over fake pools, their background work run on the test's thread. The fake factory's
 * {@code onOpen} replays what another thread did while a pool was being made.
 */
class DirectPoolsTest {
    private static final HostSpec FLIP = HostSpec.parse("198.18.0.100:5432");
    private static final HostSpec N1 = HostSpec.parse("198.18.0.11:5432");
    private static final HostSpec N2 = HostSpec.parse("198.18.0.12:5432");

    private final FakePools fakes = new FakePools();
    private final HostPools pools = new HostPools(fakes, ClusterMetrics.NONE, Runnable::run, Runnable::run);
    /** The write endpoint's tracker: usable or not. */
    private final AtomicBoolean endpointUsable = new AtomicBoolean();
    private final DirectPools direct = directPools(true);

    private DirectPools directPools(boolean enabled) {
        return new DirectPools(enabled, FLIP, endpointUsable::get,
                h -> pools.direct(h, "pgflip-t-direct-" + (h.equals(N1) ? 1 : 2)));
    }

    @Test
    void aPoolMadeWhileTheEndpointCameBackIsRetiredEvenThoughTheEndpointsRetirementRanBeforeItExisted() {
        // The race: the writer's tracker turns usable and its reaction retires the direct pools while a borrower,
        // routed directly a moment before, is still making the pool: the retirement finds nothing to retire.
        fakes.onOpen = source -> {
            endpointUsable.set(true);
            direct.retire();
        };

        HostPool pool = direct.poolFor(N2);

        assertThat(direct.open()).as("nothing left to leak until the next failover").isEmpty();
        assertThat(fakes.on(N2)).singleElement().satisfies(s -> assertThat(s.closed()).isTrue());
        assertThatThrownBy(() -> pool.borrow(1000)).isInstanceOf(SQLException.class)
                .hasMessageContaining("borrow again");
    }

    @Test
    void aPoolMadeWhileTheDataSourceClosesIsClosedNotLeaked() {
        // The race: close() runs while a borrower, routed directly, is still making the pool: close() finds nothing.
        fakes.onOpen = source -> direct.close();

        HostPool pool = direct.poolFor(N2);

        assertThat(direct.open()).isEmpty();
        assertThat(fakes.on(N2)).singleElement().satisfies(s -> assertThat(s.closed()).isTrue());
        assertThatThrownBy(() -> pool.borrow(1000)).isInstanceOf(SQLException.class).hasMessageContaining("is closed");

        fakes.onOpen = source -> { };
        direct.warm(List.of(N1), 1);
        assertThat(fakes.on(N1)).as("nothing is warmed once closed").isEmpty();
    }

    @Test
    void asManyConnectionsAsTheEndpointHeldAreWarmedOnEachCandidate() {
        direct.warm(List.of(N1, N2), 2);

        assertThat(fakes.on(N1)).singleElement().satisfies(s -> assertThat(s.borrows).isEqualTo(2));
        assertThat(fakes.on(N2)).singleElement().satisfies(s -> assertThat(s.borrows).isEqualTo(2));
    }

    @Test
    void aPoolWarmedWhileTheDataSourceClosesIsClosedNotLeaked() {
        fakes.onOpen = source -> direct.close();

        direct.warm(List.of(N1, N2), 1);

        assertThat(direct.open()).isEmpty();
        assertThat(fakes.opened).as("the warm loop stops at the first pool made after the close").hasSize(1)
                .allSatisfy(s -> assertThat(s.closed()).isTrue());
    }

    @Test
    void aPoolMadeBeforeTheEndpointCameBackIsRetiredByItsReactionWithoutCuttingWhatItLent() throws SQLException {
        HostPool pool = direct.poolFor(N2);
        Lease writing = pool.borrow(1000);
        assertThat(direct.open()).containsOnlyKeys(N2);

        endpointUsable.set(true);
        direct.retire();

        assertThat(direct.open()).isEmpty();
        FakePools.Source source = fakes.on(N2).get(0);
        assertThat(source.closed()).as("a write is still running on it").isFalse();
        assertThat(writing.connection().isClosed()).isFalse();
        writing.close();
        assertThat(source.closed()).isTrue();
    }

    @Test
    void aPoolIsMadeOncePerHostAndOnlyForWritesThatCanGoThere() {
        HostPool first = direct.poolFor(N2);
        HostPool again = direct.poolFor(N2);

        assertThat(again).isSameAs(first);
        assertThat(fakes.on(N2)).singleElement().satisfies(s -> {
            assertThat(s.inRecoveryToo).as("opened while the host may still be a standby").isTrue();
            assertThat(s.role).isEqualTo(Role.WRITER);
            assertThat(s.name).isEqualTo("pgflip-t-direct-2");
        });
    }

    @Test
    void warmingOpensOneConnectionToEachCandidateAndReturnsItIdle() {
        direct.warm(List.of(N1, N2), 1);

        assertThat(direct.open()).containsOnlyKeys(N1, N2);
        assertThat(fakes.opened).allSatisfy(s -> assertThat(s.borrows).isEqualTo(1));
    }

    @Test
    void warmingWhileTheEndpointIsAlreadyBackLeavesNoPoolOpen() {
        endpointUsable.set(true);
        direct.warm(List.of(N2), 1);
        assertThat(direct.open()).isEmpty();
        assertThat(fakes.on(N2)).singleElement().satisfies(s -> assertThat(s.closed()).isTrue());
    }

    @Test
    void nothingIsWarmedWithoutDirectWritesOrAfterClose() {
        directPools(false).warm(List.of(N2), 1);
        direct.close();
        direct.warm(List.of(N2), 1);
        assertThat(fakes.opened).isEmpty();
    }

    @Test
    void aHostThatStoppedBeingThePrimaryLosesItsIdleDirectConnectionsAndItsLentOnesWhenCut() throws SQLException {
        Lease lent = direct.poolFor(N2).borrow(1000);
        FakePools.Source source = fakes.on(N2).get(0);

        direct.evictIdle(N2, false);
        assertThat(source.evictions).isEqualTo(1);
        assertThat(lent.connection().isClosed()).as("demoted, it answers 25006 by itself").isFalse();

        direct.evictIdle(N2, true);
        assertThat(lent.connection().isClosed()).as("stale or silent: cut").isTrue();
        direct.evictIdle(N1, true);
        assertThat(fakes.on(N1)).as("no pool there, none made").isEmpty();
    }
}
