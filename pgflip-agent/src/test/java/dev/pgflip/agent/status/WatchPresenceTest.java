package dev.pgflip.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WatchPresenceTest {
    @Test
    void theSessionIsNamedAfterTheNodeSoAPeersWatchIsNotMistakenForIt() {
        assertThat(WatchPresence.applicationName("n2")).isEqualTo("pgflip-watch:n2");
    }

    @Test
    void aSessionThatAskedRecentlyIsAliveOneIdleForOver90SecondsIsStalledNoneIsAbsent() {
        assertThat(WatchPresence.judge(1, OptionalLong.of(0))).isEqualTo(WatchPresence.State.ALIVE);
        assertThat(WatchPresence.judge(1, OptionalLong.of(90))).isEqualTo(WatchPresence.State.ALIVE);
        assertThat(WatchPresence.judge(2, OptionalLong.of(91))).isEqualTo(WatchPresence.State.STALLED);
        assertThat(WatchPresence.judge(0, OptionalLong.empty())).isEqualTo(WatchPresence.State.ABSENT);
        assertThat(WatchPresence.State.NOT_EXPECTED.key()).isEqualTo("not_expected");
    }
}
