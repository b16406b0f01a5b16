package dev.pgflip.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabTopology;
import dev.pgflip.lab.process.Commands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the partitions write into the neighbour tables and what their checks expect; nothing is run. */
class SilentPartitionTest {
    private final LabTopology topology = LabTopology.standard();
    private final SilentPartition partition = new SilentPartition(new Commands(Map.of()), topology);
    private final LabNode n1 = topology.node("n1");
    private final LabNode n2 = topology.node("n2");
    private final LabNode n3 = topology.node("n3");

    @Test
    void aCutBlackholesEachSideForTheOtherAndTheFloatingIpOnly() {
        assertThat(partition.cutEntries(n1, n2)).containsExactly(
                replace("n1", "198.18.0.12"), replace("n1", "198.18.0.100"),
                replace("n2", "198.18.0.11"), replace("n2", "198.18.0.100"));
    }

    @Test
    void aNodeCannotBeCutFromItself() {
        assertThatThrownBy(() -> partition.cutEntries(n1, n1)).hasMessageContaining("cannot cut n1 from itself");
    }

    @Test
    void healingEitherSideOfACutRemovesEveryEntryTheCutMade() {
        for (LabNode side : List.of(n1, n2)) {
            List<List<String>> removals = partition.healEntries(side);
            for (List<String> made : partition.cutEntries(n1, n2)) {
                assertThat(removals).as("heal %s removes %s", side.name(), made).contains(asDelete(made));
            }
        }
    }

    @Test
    void healingAnIsolatedNodeRemovesEveryEntryTheIsolationMade() {
        List<List<String>> removals = partition.healEntries(n1);
        assertThat(partition.isolateEntries(n1)).hasSize(5).allSatisfy(made -> assertThat(removals).contains(asDelete(made)));
    }

    @Test
    void aCutIsCheckedBothWaysAndAgainstTheThirdNodeAndTheApplication() {
        List<String> paths = partition.cutPaths(n1, n3).stream()
                .map(p -> p.label() + (p.mustAnswer() ? " answers" : " silent")).toList();

        assertThat(paths).containsExactly("n1 -> n3 silent", "n3 -> n1 silent",
                "n1 -> n2 answers", "n2 -> n1 answers", "n3 -> n2 answers", "n2 -> n3 answers",
                "application -> n1 answers", "application -> n3 answers");
    }

    private static List<String> replace(String netns, String address) {
        return List.of("ip", "-n", netns, "neigh", "replace", address, "lladdr", SilentPartition.NOWHERE_MAC,
                "nud", "permanent", "dev", "eth0");
    }

    private static List<String> asDelete(List<String> replace) {
        return List.of("ip", "-n", replace.get(2), "neigh", "del", replace.get(5), "dev", "eth0");
    }
}
