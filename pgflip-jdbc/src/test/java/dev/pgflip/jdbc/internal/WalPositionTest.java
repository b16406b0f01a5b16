package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

class WalPositionTest {

    private static WalPosition at(long timeline, String lsn) {
        return new WalPosition(timeline, LogSequenceNumber.valueOf(lsn));
    }

    @Test
    void aTokenCarriesTheLsnAndItsTimelineAndReadsBackTheSame() {
        assertThat(at(3, "0/3000060").token()).isEqualTo("0/3000060@3");
        assertThat(WalPosition.parseToken("0/3000060@3")).isEqualTo(at(3, "0/3000060"));
        assertThat(WalPosition.parseToken(" 1A/FF000000@12 ")).isEqualTo(at(12, "1A/FF000000"));
    }

    @Test
    void anLsnOnlyTokenFromBeforeStillReadsWithAnUnknownTimeline() {
        WalPosition p = WalPosition.parseToken("0/3000060");
        assertThat(p).isEqualTo(at(ProbeResult.UNKNOWN_TIMELINE, "0/3000060"));
        assertThat(p.token()).isEqualTo("0/3000060");
    }

    @Test
    void aTokenThatIsNoPositionIsRejectedSayingWhatIsExpected() {
        for (String bad : new String[] {"yesterday", "0/3000060@", "0/3000060@0", "0/3000060@x", "@3", "0/0"}) {
            assertThatThrownBy(() -> WalPosition.parseToken(bad)).as(bad)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("e.g. 0/3000060@3");
        }
    }

    @Test
    void theSessionsPositionMovesToANewerTimelineEvenAtALowerLsn() {
        WalPosition beforeFailover = at(2, "0/5000100");
        WalPosition afterFailover = at(3, "0/5000080");
        assertThat(WalPosition.later(beforeFailover, afterFailover)).isEqualTo(afterFailover);
        assertThat(WalPosition.later(afterFailover, beforeFailover)).as("a late capture from before").isEqualTo(afterFailover);
        assertThat(WalPosition.later(at(3, "0/6000000"), at(3, "0/6000100"))).isEqualTo(at(3, "0/6000100"));
        assertThat(WalPosition.later(null, afterFailover)).isEqualTo(afterFailover);
    }

    @Test
    void anLsnOnlyPositionGivesWayToAKnownTimelineAtTheSameOrAHigherLsn() {
        WalPosition resumed = WalPosition.parseToken("0/5000100");
        assertThat(WalPosition.later(resumed, at(3, "0/5000100"))).isEqualTo(at(3, "0/5000100"));
        assertThat(WalPosition.later(resumed, at(3, "0/5000200"))).isEqualTo(at(3, "0/5000200"));
    }

    @Test
    void aProbeAnswerGivesTheHostsPosition() {
        ProbeResult standby = new ProbeResult(true, true, Duration.ZERO, "0/3000060", 3);
        assertThat(WalPosition.of(standby)).isEqualTo(at(3, "0/3000060"));
        assertThat(WalPosition.of(null)).isNull();
    }
}
