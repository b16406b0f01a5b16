package dev.pgflip.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.switchover.SwitchoverFacts.WitnessAnswer;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Every reason a switchover must not start, each found before anything changes. */
class SwitchoverCheckTest {
    private static final RepmgrNode N1 = node(1, "n1", RepmgrNode.Type.PRIMARY, true, OptionalInt.empty());
    private static final RepmgrNode N2 = node(2, "n2", RepmgrNode.Type.STANDBY, true, OptionalInt.of(1));
    private static final long MAX_LAG = 16 << 20;

    private static RepmgrNode node(int id, String name, RepmgrNode.Type type, boolean active, OptionalInt upstream) {
        return new RepmgrNode(id, name, type, active, Conninfo.parse("host=198.18.0.1" + id + " user=repmgr"), upstream);
    }

    private static SwitchoverFacts healthy() {
        return new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2), Optional.of(true),
                Optional.of("streaming"), OptionalLong.of(0), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), false);
    }

    @Test
    void aCaughtUpStreamingStandbyPasses() {
        assertThat(SwitchoverCheck.problems(healthy(), "n2", MAX_LAG)).isEmpty();
    }

    @Test
    void runOnAStandbyItNamesWhereToRunIt() {
        SwitchoverFacts f = new SwitchoverFacts("n2", false, Optional.of(N2), Optional.of(N1), Optional.of(false),
                Optional.empty(), OptionalLong.empty(), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), false);
        assertThat(SwitchoverCheck.problems(f, "n1", MAX_LAG)).anyMatch(p -> p.startsWith("this node (n2) is not the"
                + " primary: run pgflip switchover on the current primary"));
    }

    @Test
    void theTargetMustBeAnActiveStandbyFollowingThisNode() {
        RepmgrNode witness = node(3, "n3", RepmgrNode.Type.WITNESS, true, OptionalInt.empty());
        assertThat(SwitchoverCheck.problems(withTarget(witness), "n3", MAX_LAG))
                .anyMatch(p -> p.contains("n3 is witness in repmgr.nodes: only an active standby"));
        RepmgrNode inactive = node(2, "n2", RepmgrNode.Type.STANDBY, false, OptionalInt.of(1));
        assertThat(SwitchoverCheck.problems(withTarget(inactive), "n2", MAX_LAG))
                .anyMatch(p -> p.contains("n2 is an inactive standby"));
        RepmgrNode elsewhere = node(2, "n2", RepmgrNode.Type.STANDBY, true, OptionalInt.of(4));
        assertThat(SwitchoverCheck.problems(withTarget(elsewhere), "n2", MAX_LAG))
                .anyMatch(p -> p.contains("n2 does not follow n1 in repmgr.nodes"));
        assertThat(SwitchoverCheck.problems(withTarget(null), "n9", MAX_LAG))
                .containsExactly("no node named n9 in repmgr.nodes: expected the name of a standby (repmgr cluster show)");
        assertThat(SwitchoverCheck.problems(healthy(), "n1", MAX_LAG)).containsExactly("n1 is this node: name the"
                + " standby to promote");
    }

    @Test
    void aLaggingNotStreamingUnreachableOrFencedTargetIsRefused() {
        SwitchoverFacts lagging = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2), Optional.of(true),
                Optional.of("streaming"), OptionalLong.of(MAX_LAG + 1), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), false);
        assertThat(SwitchoverCheck.problems(lagging, "n2", MAX_LAG)).containsExactly("n2 replays 16777217 bytes behind"
                + " n1 (at most 16777216 allowed, --max-lag): wait until it catches up");
        SwitchoverFacts catchingUp = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2),
                Optional.of(true), Optional.of("catchup"), OptionalLong.of(0), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), false);
        assertThat(SwitchoverCheck.problems(catchingUp, "n2", MAX_LAG)).anyMatch(p -> p.contains("is 'catchup'"));
        SwitchoverFacts down = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2), Optional.empty(),
                Optional.empty(), OptionalLong.empty(), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), false);
        assertThat(SwitchoverCheck.problems(down, "n2", MAX_LAG)).anyMatch(p -> p.startsWith("n2 does not answer"))
                .anyMatch(p -> p.contains("no walsender for it"));
        SwitchoverFacts fenced = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2), Optional.of(true),
                Optional.of("streaming"), OptionalLong.of(0), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), true);
        assertThat(SwitchoverCheck.problems(fenced, "n2", MAX_LAG)).containsExactly("n2 has a fence record: its"
                + " promote hook would refuse; see pgflip rejoin");
    }

    @Test
    void aWitnessThatDoesNotAnswerIsRefusedButNoWitnessAtAllIsNot() {
        SwitchoverFacts silent = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2), Optional.of(true),
                Optional.of("streaming"), OptionalLong.of(0), Optional.of(WitnessAnswer.SILENT), false);
        assertThat(SwitchoverCheck.problems(silent, "n2", MAX_LAG)).singleElement().asString()
                .startsWith("the witness does not answer");
        SwitchoverFacts none = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2), Optional.of(true),
                Optional.of("streaming"), OptionalLong.of(0), Optional.empty(), false);
        assertThat(SwitchoverCheck.problems(none, "n2", MAX_LAG)).isEmpty();
    }

    @Test
    void aTargetThePrimaryMarkedIneligibleOnTheWitnessIsRefusedBeforeAnythingChanges() {
        SwitchoverFacts ineligible = new SwitchoverFacts("n1", true, Optional.of(N1), Optional.of(N2),
                Optional.of(true), Optional.of("streaming"), OptionalLong.of(0),
                Optional.of(WitnessAnswer.TARGET_INELIGIBLE), false);
        assertThat(SwitchoverCheck.problems(ineligible, "n2", MAX_LAG)).singleElement().asString()
                .startsWith("n2 is marked ineligible for promotion on the witness");
    }

    private static SwitchoverFacts withTarget(RepmgrNode target) {
        return new SwitchoverFacts("n1", true, Optional.of(N1), Optional.ofNullable(target), Optional.of(true),
                Optional.of("streaming"), OptionalLong.of(0), Optional.of(WitnessAnswer.TARGET_ELIGIBLE), false);
    }
}
