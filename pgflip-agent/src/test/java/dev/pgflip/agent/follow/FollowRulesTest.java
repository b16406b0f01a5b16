package dev.pgflip.agent.follow;

import static dev.pgflip.agent.follow.Cluster.N2;
import static dev.pgflip.agent.follow.Cluster.NODES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.follow.FollowRules.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which node may be followed, and which answers mean follow, wait or give up: no node, no clock. */
class FollowRulesTest {
    static final UpstreamAnswer UNREACHABLE = UpstreamAnswer.unreachable("Connection refused");
    static final UpstreamAnswer IN_RECOVERY = UpstreamAnswer.answered(true, true);
    static final UpstreamAnswer FENCED = UpstreamAnswer.answered(false, true);
    static final UpstreamAnswer WRITABLE = UpstreamAnswer.answered(false, false);

    @Test
    void aNodeNotInRecoveryIsFencedWhenANewSessionIsReadOnlyAndWritableOtherwise() {
        assertThat(FENCED.kind()).isEqualTo(UpstreamAnswer.Kind.READ_ONLY);
        assertThat(WRITABLE.kind()).isEqualTo(UpstreamAnswer.Kind.WRITABLE_PRIMARY);
        // every session of a standby is read-only: in recovery is what it is
        assertThat(IN_RECOVERY.kind()).isEqualTo(UpstreamAnswer.Kind.IN_RECOVERY);
        assertThat(UpstreamAnswer.answered(true, false).kind()).isEqualTo(UpstreamAnswer.Kind.IN_RECOVERY);
    }

    @Test
    void onlyAWritablePrimaryIsFollowedAndTheRestIsAskedAgainWhileTimeIsLeft() {
        assertThat(FollowRules.next(WRITABLE, true)).isEqualTo(Step.FOLLOW);
        for (UpstreamAnswer answer : List.of(UNREACHABLE, IN_RECOVERY, FENCED)) {
            assertThat(FollowRules.next(answer, true)).as(answer.describe()).isEqualTo(Step.WAIT);
        }
    }

    @Test
    void onceTheWaitIsOverAnythingButAWritablePrimaryIsGivenUp() {
        for (UpstreamAnswer answer : List.of(UNREACHABLE, IN_RECOVERY, FENCED)) {
            assertThat(FollowRules.next(answer, false)).as(answer.describe()).isEqualTo(Step.GIVE_UP);
        }
        assertThat(FollowRules.next(WRITABLE, false)).isEqualTo(Step.FOLLOW);
    }

    @Test
    void theNodeToFollowIsFoundByItsNodeIdEvenWhereThisNodesCopyStillCallsItAStandby() {
        assertThat(FollowRules.upstream(NODES, 2, "n3")).isEqualTo(N2);
    }

    @Test
    void anUnknownNodeIdIsAUsageErrorNamingItAndTheNodesThatExist() {
        assertThatThrownBy(() -> FollowRules.upstream(NODES, 7, "n3"))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("node 7 is not in this node's repmgr.nodes, which has 1 (n1), 2 (n2), 3 (n3),"
                        + " 4 (w, witness)")
                .hasMessageContaining("nothing was changed");
        assertThatThrownBy(() -> FollowRules.upstream(new RepmgrNodes(List.of()), 2, "n3"))
                .hasMessageContaining("which has no nodes at all");
    }

    @Test
    void thisNodeAndTheWitnessAreNeverFollowed() {
        assertThatThrownBy(() -> FollowRules.upstream(NODES, 3, "n3"))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("node 3 (n3) is this node");
        assertThatThrownBy(() -> FollowRules.upstream(NODES, 4, "n3"))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("node 4 (w) is the witness");
    }

    @Test
    void aNodeWhoseConninfoNamesNoHostCannotBeAskedAndIsRefused() {
        RepmgrNode socketOnly = Cluster.node(2, "n2", RepmgrNode.Type.STANDBY, "user=repmgr dbname=repmgr",
                OptionalInt.empty());

        assertThatThrownBy(() -> FollowRules.upstream(new RepmgrNodes(List.of(socketOnly)), 2, "n3"))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("names no host");
    }

    @Test
    void givingUpSaysWhatTheNodeAnsweredLastThatNothingChangedAndWhatToDo() {
        String message = FollowRules.gaveUp(N2, FENCED, Duration.ofSeconds(30), Path.of("/etc/repmgr.conf"));

        assertThat(message).isEqualTo("n2 (node 2) at 198.18.0.12:5432 did not answer as a writable primary within 30 s:"
                + " it was last read-only (fenced: transaction_read_only is on for a new session); nothing was changed."
                + " Once the primary is known (pgflip status), follow it by hand: repmgr -f /etc/repmgr.conf standby"
                + " follow --upstream-node-id=<its node id>");
        assertThat(FollowRules.gaveUp(N2, UNREACHABLE, Duration.ofMillis(1500), Path.of("/etc/repmgr.conf")))
                .contains("within 1500 ms: it was last unreachable (Connection refused)");
        assertThat(FollowRules.gaveUp(N2, IN_RECOVERY, Duration.ofSeconds(1), Path.of("/etc/repmgr.conf")))
                .contains("it was last in recovery");
    }

    @Test
    void anIpv6AddressIsBracketedBeforeItsPort() {
        RepmgrNode v6 = Cluster.node(2, "n2", RepmgrNode.Type.STANDBY, "host=fd00::12 port=5433", OptionalInt.empty());

        assertThat(FollowRules.describe(v6)).isEqualTo("n2 (node 2) at [fd00::12]:5433");
    }
}
