package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.HostSpec;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** A HostPool's life over a fake pool: lending, retirement when idle, and refusals that come at once. */
class HostPoolTest {
    private static final HostSpec N2 = HostSpec.parse("10.0.0.2:5432");
    private final FakePools fakes = new FakePools();
    private final HostPool pool = new HostPools(fakes, ClusterMetrics.NONE, Runnable::run, Runnable::run)
            .direct(N2, "pgflip-t-direct-1");

    private FakePools.Source source() {
        return fakes.opened.get(fakes.opened.size() - 1);
    }

    @Test
    void aBorrowAfterCloseFailsAtOnceWithoutWaitingInThePool() {
        pool.close();

        assertThatThrownBy(() -> pool.borrow(60_000)).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("pgflip-t-direct-1 (10.0.0.2:5432) is closed")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
        assertThat(source().borrows).as("never asked the pool, so never waited in it").isZero();
    }

    @Test
    void aRetiredPoolWithNothingLentClosesAtOnceAndRefusesBorrowsAtOnce() {
        pool.closeWhenIdle();

        assertThat(source().closed()).isTrue();
        assertThat(source().evictions).as("idle connections dropped first").isEqualTo(1);
        assertThatThrownBy(() -> pool.borrow(60_000)).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("borrow again");
        assertThat(source().borrows).isZero();
    }

    @Test
    void aRetiringPoolKeepsWhatItLentAndClosesOnceWhenTheLastComesBack() throws SQLException {
        Lease first = pool.borrow(1000);
        Lease second = pool.borrow(1000);

        pool.closeWhenIdle();

        assertThat(source().closed()).as("two connections still lent: not cut").isFalse();
        assertThatThrownBy(() -> pool.borrow(1000)).hasMessageContaining("was retired; borrow again");
        first.close();
        assertThat(source().closed()).isFalse();
        second.close();
        second.close();
        assertThat(source().closes).as("closed by the last return, once, however often a lease is closed")
                .isEqualTo(1);
        assertThat(pool.busy()).isZero();
    }

    @Test
    void aLeaseReturnedTwiceCountsOnce() throws SQLException {
        Lease a = pool.borrow(1000);
        Lease b = pool.borrow(1000);
        a.close();
        a.close();

        pool.closeWhenIdle();

        assertThat(source().closed()).as("b is still lent").isFalse();
        b.close();
        assertThat(source().closed()).isTrue();
    }

    @Test
    void abortInFlightCutsWhatIsLentAndCountsIt() throws SQLException {
        Lease lent = pool.borrow(1000);
        Lease back = pool.borrow(1000);
        back.close();

        assertThat(pool.abortInFlight()).isEqualTo(1);
        assertThat(lent.connection().isClosed()).isTrue();
    }

    @Test
    void aRenewalOpensANewGenerationUnderTheSameNameAndClosesTheOld() {
        FakePools.Source old = source();
        pool.renew();
        assertThat(old.closed()).isTrue();
        assertThat(source()).isNotSameAs(old);
        assertThat(pool.currentPoolName()).isEqualTo("pgflip-t-direct-1");
        pool.close();
        pool.renew();
        assertThat(fakes.opened).as("a closed pool is not renewed").hasSize(2);
    }

    @Test
    void aRenewalKeepsAGenerationMadeDuringTheOutageOpenUntilWhatItLentComesBack() throws SQLException {
        // The host went down, a prewarm renewed the pool, the host became usable, a waiting borrower got a connection,
        // then the tracker's listener renewed again (the prewarm's connection had failed): closing the prewarm's
        // generation now would abort a transaction on a healthy primary.
        pool.markDown();
        pool.renew();
        FakePools.Source prewarmed = source();
        Lease lease = pool.borrow(100);
        pool.renew();
        assertThat(prewarmed.closed()).as("a connection of it is still lent").isFalse();
        assertThat(prewarmed.evictions).as("its idle connections go at once").isEqualTo(1);
        assertThat(pool.borrow(100).connection().toString()).isEqualTo("connection of pgflip-t-direct-1");
        assertThat(source()).isNotSameAs(prewarmed);
        lease.close();
        assertThat(prewarmed.closes).as("closed once, by the last return").isEqualTo(1);
        lease.close();
        assertThat(prewarmed.closes).isEqualTo(1);
    }

    @Test
    void theGenerationThatServedWhenTheHostWentDownIsCutAtItsRenewal() throws SQLException {
        // What it lent may be on a primary the endpoint no longer leads to: those sessions must not go on writing.
        FakePools.Source before = source();
        pool.borrow(100);
        pool.markDown();
        pool.renew();
        assertThat(before.closed()).as("closed at once, aborting what it lent").isTrue();
    }

    @Test
    void closingThePoolClosesTheGenerationsStillRetiringToo() throws SQLException {
        FakePools.Source old = source();
        pool.borrow(100);
        pool.renew();
        pool.close();
        assertThat(old.closed()).isTrue();
        assertThat(source().closed()).isTrue();
    }

    @Test
    void lifeMovesOnlyForward() {
        HostPool.Life lent = HostPool.Life.NEW.borrowed();
        assertThat(lent.retired()).isEqualTo(new HostPool.Life(HostPool.Stage.RETIRING, 1));
        assertThat(lent.retired().returned()).isEqualTo(new HostPool.Life(HostPool.Stage.CLOSED, 0));
        assertThat(HostPool.Life.NEW.retired()).isEqualTo(new HostPool.Life(HostPool.Stage.CLOSED, 0));
        assertThat(lent.closed().retired().stage()).as("closed stays closed").isEqualTo(HostPool.Stage.CLOSED);
        assertThat(lent.closed().returned().stage()).isEqualTo(HostPool.Stage.CLOSED);
    }
}
