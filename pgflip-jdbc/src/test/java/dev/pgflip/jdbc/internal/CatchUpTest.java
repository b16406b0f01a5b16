package dev.pgflip.jdbc.internal;

import static dev.pgflip.jdbc.internal.CatchUp.Verdict.CAUGHT_UP;
import static dev.pgflip.jdbc.internal.CatchUp.Verdict.NEVER;
import static dev.pgflip.jdbc.internal.CatchUp.Verdict.NOT_YET;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

class CatchUpTest {
    /** The session committed at 0/5000100 on timeline 2. */
    private static final WalPosition COMMIT = at(2, "0/5000100");
    /** Timeline 3 was forked off timeline 2 at 0/5000000, before that commit (it was on the old primary only). */
    private static final TimelineHistory FORKED_BEFORE = TimelineHistory.parse(3,
            "1\t0/3000000\tno recovery target specified\n2\t0/5000000\tno recovery target specified\n");
    /** Timeline 3 was forked off timeline 2 at 0/6000000, after the commit. */
    private static final TimelineHistory FORKED_AFTER = TimelineHistory.parse(3,
            "1\t0/3000000\tno recovery target specified\n2\t0/6000000\tno recovery target specified\n");

    private static WalPosition at(long timeline, String lsn) {
        return new WalPosition(timeline, LogSequenceNumber.valueOf(lsn));
    }

    @Test
    void aReaderOnTheCommitsTimelineIsCaughtUpOnceItReplayedThatFar() {
        assertThat(CatchUp.verdict(COMMIT, at(2, "0/5000100"), null)).isEqualTo(CAUGHT_UP);
        assertThat(CatchUp.verdict(COMMIT, at(2, "0/50000FF"), null)).isEqualTo(NOT_YET);
    }

    @Test
    void aReaderOnAnOlderTimelineIsNotCaughtUpWhateverItsLsn() {
        WalPosition commitOnNewPrimary = at(3, "0/5000100");
        assertThat(CatchUp.verdict(commitOnNewPrimary, at(2, "0/7000000"), null))
                .as("still replaying the old primary's WAL: it may yet follow the promotion").isEqualTo(NOT_YET);
    }

    @Test
    void aReaderOnANewerTimelineForkedBeforeTheCommitNeverHasItWhateverItsLsn() {
        WalPosition reader = at(3, "0/7000000");
        assertThat(CatchUp.needsHistory(COMMIT, reader)).isTrue();
        assertThat(CatchUp.verdict(COMMIT, reader, FORKED_BEFORE)).isEqualTo(NEVER);
    }

    @Test
    void aReaderOnANewerTimelineForkedAfterTheCommitIsCaughtUpOnceItReplayedThatFar() {
        assertThat(CatchUp.verdict(COMMIT, at(3, "0/6000100"), FORKED_AFTER)).isEqualTo(CAUGHT_UP);
        assertThat(CatchUp.verdict(COMMIT, at(3, "0/5000000"), FORKED_AFTER)).isEqualTo(NOT_YET);
    }

    @Test
    void aNewerTimelineWhoseHistoryIsUnknownOrUnrelatedIsNotTakenOnTrust() {
        assertThat(CatchUp.verdict(COMMIT, at(3, "0/7000000"), null)).as("history not readable").isEqualTo(NEVER);
        TimelineHistory sibling = TimelineHistory.parse(3, "1\t0/3000000\tno recovery target specified\n");
        assertThat(CatchUp.verdict(COMMIT, at(3, "0/7000000"), sibling)).as("timeline 2 is no ancestor of 3")
                .isEqualTo(NEVER);
        assertThat(CatchUp.verdict(COMMIT, at(4, "0/7000000"), FORKED_AFTER)).as("the history of another timeline")
                .isEqualTo(NEVER);
    }

    @Test
    void aReaderThatDoesNotShowItsTimelineIsNotTakenOnTrustByATokenThatHasOne() {
        assertThat(CatchUp.verdict(COMMIT, at(ProbeResult.UNKNOWN_TIMELINE, "0/7000000"), null)).isEqualTo(NEVER);
    }

    @Test
    void aTokenWithoutATimelineIsJudgedByItsLsnAloneAsBefore() {
        WalPosition lsnOnly = WalPosition.parseToken("0/5000100");
        assertThat(CatchUp.verdict(lsnOnly, at(3, "0/5000100"), null)).isEqualTo(CAUGHT_UP);
        assertThat(CatchUp.verdict(lsnOnly, at(ProbeResult.UNKNOWN_TIMELINE, "0/5000000"), null)).isEqualTo(NOT_YET);
    }

    @Test
    void aReaderThatReportedNoPositionIsNotCaughtUpYet() {
        assertThat(CatchUp.verdict(COMMIT, null, null)).isEqualTo(NOT_YET);
        assertThat(CatchUp.verdict(COMMIT, new WalPosition(2, null), null)).isEqualTo(NOT_YET);
    }
}
