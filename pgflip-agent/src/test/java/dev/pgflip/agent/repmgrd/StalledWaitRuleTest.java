package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.repmgrd.StalledWaitRule.Verdict;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StalledWaitRuleTest {
    static final Duration STALE = StalledWaitRule.staleAfter(1);

    static RepmgrdSight standby(int lastSeen, String streamingFrom) {
        return new RepmgrdSight(true, true, lastSeen, OptionalInt.of(2), Optional.ofNullable(streamingFrom));
    }

    @Test
    void staleAfterThreeMonitorLoopsAndAFailedCheckButNeverUnderFiveSeconds() {
        assertThat(StalledWaitRule.staleAfter(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(StalledWaitRule.staleAfter(2)).isEqualTo(Duration.ofSeconds(8));
        assertThat(StalledWaitRule.staleAfter(10)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void aPrimaryOrWitnessHasNoUpstreamToWaitOn() {
        RepmgrdSight primary = new RepmgrdSight(false, false, 120, OptionalInt.empty(), Optional.empty());
        assertThat(StalledWaitRule.judge(primary, STALE)).isEqualTo(Verdict.NOT_A_STANDBY);
    }

    @Test
    void aRepmgrdThatNeverLookedIsNotStalled() {
        assertThat(StalledWaitRule.judge(standby(RepmgrdSight.NEVER_SEEN, "198.18.0.12"), STALE))
                .isEqualTo(Verdict.REPMGRD_NOT_LOOKING);
    }

    @Test
    void aRepmgrdThatIsNotRunningIsNotStalledWhateverItsLastCountSays() {
        RepmgrdSight exited = new RepmgrdSight(true, false, 140, OptionalInt.of(2), Optional.of("198.18.0.12"));
        assertThat(StalledWaitRule.judge(exited, STALE)).isEqualTo(Verdict.REPMGRD_NOT_LOOKING);
    }

    @Test
    void seenWithinTheBoundIsFresh() {
        assertThat(StalledWaitRule.judge(standby(0, "198.18.0.12"), STALE)).isEqualTo(Verdict.FRESH);
        assertThat(StalledWaitRule.judge(standby(4, "198.18.0.12"), STALE)).isEqualTo(Verdict.FRESH);
    }

    @Test
    void staleWhileStreamingIsAStallStaleWithoutStreamingMayBeARealOutage() {
        assertThat(StalledWaitRule.judge(standby(5, "198.18.0.12"), STALE)).isEqualTo(Verdict.STALLED_WHILE_STREAMING);
        assertThat(StalledWaitRule.judge(standby(54, null), STALE)).isEqualTo(Verdict.STALLED_NOT_STREAMING);
    }
}
