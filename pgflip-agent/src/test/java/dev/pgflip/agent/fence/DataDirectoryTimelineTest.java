package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A stopped node's timeline: the checkpoint's lags a promotion, the names in pg_wal do not. */
class DataDirectoryTimelineTest {
    @Test
    void theNewestHistoryFileOrSegmentNamesTheTimeline() {
        assertThat(DataDirectoryTimeline.fromWalNames(List.of("000000020000000000000005", "00000002.history",
                "00000003.history", "archive_status", "000000010000000000000004.partial")))
                .isEqualTo(OptionalLong.of(3));
        assertThat(DataDirectoryTimeline.fromWalNames(List.of("0000000A0000000100000002")))
                .isEqualTo(OptionalLong.of(10));
    }

    @Test
    void namesThatAreNotWalAreIgnored() {
        assertThat(DataDirectoryTimeline.fromWalNames(List.of("archive_status", "summaries", "00000003.history.tmp",
                "xlogtemp.123"))).isEmpty();
    }

    @Test
    void theCheckpointTimelineComesFromPgControldatasLine() {
        String out = "pg_control version number:            1300\n"
                + "Latest checkpoint's TimeLineID:       2\n"
                + "Latest checkpoint's PrevTimeLineID:   1\n";
        assertThat(DataDirectoryTimeline.checkpointTimeline(out)).isEqualTo(OptionalLong.of(2));
        assertThat(DataDirectoryTimeline.checkpointTimeline("Database cluster state: shut down\n")).isEmpty();
    }
}
