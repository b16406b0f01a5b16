package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.LabTopology;
import dev.pgflip.lab.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which standby a run names as promoted, on a lab with two standbys: n2 (the first) and n4, n1 the primary. */
class RunStageTest {
    private static final LabTopology LAB = LabTopology.withStandbys(2);
    static final LabNode N1 = LAB.find("n1").orElseThrow();
    static final LabNode N2 = LAB.find("n2").orElseThrow();
    static final LabNode N4 = LAB.find("n4").orElseThrow();
    static final RunStart START = new RunStart(N1, List.of(N2, N4), LAB.find("n3").orElseThrow());

    @Test
    void theNewPrimaryIsTheStandbyThatTookTheWritesOnceTheFailoverCompleted() {
        assertThat(stage(true, Optional.of(N4)).newPrimary()).contains(N4);
        assertThat(stage(false, Optional.of(N4)).newPrimary()).as("the FLIP did not follow").isEmpty();
        assertThat(stage(false, Optional.of(N4)).promoted()).contains(N4);
        assertThat(stage(true, Optional.empty()).newPrimary()).as("a fault without a failover").isEmpty();
    }

    @Test
    void onlyAStandbyOfTheRunCanBePromoted() {
        assertThatThrownBy(() -> stage(true, Optional.of(N1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n1 is no standby of this run: [n2, n4]");
    }

    @Test
    void aStandbyIsFoundByNameAndByTheRoleItAnswersWithNow() {
        assertThat(START.standbyNamed("n4")).contains(N4);
        assertThat(START.standbyNamed("n1")).as("the primary").isEmpty();
        assertThat(START.standbyNowPrimary(status("down", "standby", "primary"))).contains(N4);
        assertThat(START.standbyNowPrimary(status("primary", "standby", "standby")))
                .as("the old primary still is one, no standby took over").isEmpty();
    }

    static RunStage stage(boolean recovered, Optional<LabNode> promoted) {
        return stage(recovered, promoted, new ByteArrayOutputStream());
    }

    static RunStage stage(boolean recovered, Optional<LabNode> promoted, ByteArrayOutputStream steps) {
        return new RunStage(1, START, null, 0, recovered, promoted, new Progress(new PrintStream(steps, true)));
    }

    /** The roles of n1, n2 and n4 (n3 the witness). */
    private static LabStatus status(String n1, String n2, String n4) {
        List<LabStatus.NodeStatus> nodes = List.of(node("n1", n1), node("n2", n2), node("n3", "witness"),
                node("n4", n4));
        return new LabStatus(nodes, new LabStatus.FlipStatus("198.18.0.100", null), null);
    }

    private static LabStatus.NodeStatus node(String name, String role) {
        return new LabStatus.NodeStatus(name, "198.18.0.1", LabNode.PORT, role, !role.equals("down"), null, 0);
    }
}
