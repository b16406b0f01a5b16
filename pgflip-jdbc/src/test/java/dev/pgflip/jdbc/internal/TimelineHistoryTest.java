package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

class TimelineHistoryTest {

    @Test
    void aHistoryFileGivesEachAncestorsSwitchPoint() {
        // As PostgreSQL writes 00000003.history after two promotions.
        TimelineHistory h = TimelineHistory.parse(3, "1\t0/3000000\tno recovery target specified\n\n"
                + "# a comment\n2\t0/5000060\tno recovery target specified\n");
        assertThat(h.timeline()).isEqualTo(3);
        assertThat(h.switchPoint(1)).isEqualTo(LogSequenceNumber.valueOf("0/3000000"));
        assertThat(h.switchPoint(2)).isEqualTo(LogSequenceNumber.valueOf("0/5000060"));
        assertThat(h.switchPoint(3)).as("the timeline itself has not been left").isNull();
        assertThat(h.switchPoint(4)).isNull();
    }

    @Test
    void theFileNameIsTheTimelineInEightHexDigits() {
        assertThat(TimelineHistory.fileName(3)).isEqualTo("pg_wal/00000003.history");
        assertThat(TimelineHistory.fileName(26)).isEqualTo("pg_wal/0000001A.history");
    }

    @Test
    void aLineThatIsNoSwitchPointIsRejectedNamingIt() {
        assertThatThrownBy(() -> TimelineHistory.parse(3, "1\tsoon\n"))
                .hasMessageContaining("pg_wal/00000003.history").hasMessageContaining("'1\tsoon'");
    }
}
