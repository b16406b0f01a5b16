package dev.pgflip.agent.rejoin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.rejoin.RejoinSafety.RejoinVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 13, hole 8: rejoin rewinds this node only onto a primary on a strictly newer timeline. */
class RejoinSafetyTest {
    static final String CONNINFO = "host=198.18.0.11 port=5432 user=repmgr dbname=repmgr";

    /** role: standby, primary, or unrecorded-primary (a primary its own repmgr.nodes does not record as one) */
    static RejoinSource source(String role, long timeline) {
        return new RejoinSource("198.18.0.100", "n1", CONNINFO, role.equals("standby"), timeline,
                role.equals("primary"));
    }

    @ParameterizedTest(name = "local on {0}, source {1} on {2}: {3}")
    @CsvSource({
        // local, source role, source timeline, verdict, exit code
        "1, primary, 2, Follow, OK",
        "1, primary, 7, Follow, OK",
        "2, primary, 1, SourceIsOlder, USAGE",
        "5, primary, 3, SourceIsOlder, USAGE",
        "2, primary, 2, SourceOnSameTimeline, USAGE",
        "1, primary, 1, SourceOnSameTimeline, USAGE",
        "1, standby, 0, SourceIsStandby, FLIP_FAILED",
        "2, standby, 0, SourceIsStandby, FLIP_FAILED",
        "1, unrecorded-primary, 2, SourceNotRegisteredAsPrimary, USAGE",
        "2, unrecorded-primary, 1, SourceIsOlder, USAGE",
    })
    void rewindsOnlyOntoAPrimaryOnANewerTimeline(long local, String role, long sourceTimeline, String verdict,
            ExitCode exit) {
        RejoinVerdict v = RejoinSafety.check("n2", local, source(role, sourceTimeline));

        assertThat(v.getClass().getSimpleName()).isEqualTo(verdict);
        assertThat(v.safe()).isEqualTo(verdict.equals("Follow"));
        assertThat(v.exitCode()).isEqualTo(exit);
    }

    @Test
    void aNewerPrimaryThatRepmgrDoesNotRecordAsPrimaryIsRefusedWithTheCommandThatFixesIt() {
        String message = RejoinSafety.check("n2", 1, source("unrecorded-primary", 2)).message();
        assertThat(message).isEqualTo("source 198.18.0.100 (n1) is primary on timeline 2 (local n2 is on timeline 1),"
                + " but repmgr.nodes there does not record it as the primary (its promotion was cut short before repmgr"
                + " recorded it): on n1, as postgres, run 'repmgr -f /etc/repmgr.conf primary register --force', then"
                + " pgflip rejoin again; nothing was changed");
    }

    @Test
    void anOlderSourceIsRefusedNamingBothNodesBothTimelinesAndWhatToDo() {
        String message = RejoinSafety.check("n2", 2, source("primary", 1)).message();

        assertThat(message).startsWith("source 198.18.0.100 (n1) is primary on timeline 1, local n2 is on timeline 2:"
                        + " the source is older; this would rewind the newer node")
                .contains("repmgr cluster show")
                .contains("run pgflip rejoin on the other one")
                .endsWith("nothing was changed");
    }

    @Test
    void aSourceOnTheSameTimelineIsRefusedSayingItIsNotNewer() {
        assertThat(RejoinSafety.check("n2", 2, source("primary", 2)).message())
                .startsWith("source 198.18.0.100 (n1) is primary on timeline 2 and local n2 is on timeline 2 too: the"
                        + " source is not newer")
                .endsWith("nothing was changed");
    }

    @Test
    void aStandbyBehindTheFloatingIpIsRefusedAsBeforeAskingToMoveTheIp() {
        assertThat(RejoinSafety.check("n2", 1, source("standby", 0)).message())
                .startsWith("the floating IP 198.18.0.100 leads to a standby (n1, in recovery), not a primary: move it"
                        + " to the current primary first (pgflip flip assign DROPLET_ID --wait)")
                .contains("local n2 is on timeline 1");
    }

    @Test
    void aNewerPrimaryIsFollowedAndTheLogLineSaysWhy() {
        RejoinSource n2 = new RejoinSource("198.18.0.100", "n2", CONNINFO, false, 2);

        assertThat(RejoinSafety.check("n1", 1, n2).message())
                .isEqualTo("source 198.18.0.100 (n2) is primary on timeline 2, local n1 is on timeline 1: rewinding n1"
                        + " onto it");
    }
}
