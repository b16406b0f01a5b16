package dev.pgflip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabNode.NodeRole;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabTopologyTest {

    @Test
    void theStandardLabIsN1PrimaryN2StandbyN3Witness() {
        LabTopology lab = LabTopology.standard();

        assertThat(lab.nodes()).extracting(LabNode::name, LabNode::address, LabNode::initialRole, LabNode::dropletId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("n1", "198.18.0.11", NodeRole.PRIMARY, 101L),
                        org.assertj.core.groups.Tuple.tuple("n2", "198.18.0.12", NodeRole.STANDBY, 102L),
                        org.assertj.core.groups.Tuple.tuple("n3", "198.18.0.13", NodeRole.WITNESS, 103L));
    }

    @Test
    void moreStandbysAreN4AndN5AndTheSmallerLabIsAPrefix() {
        LabTopology two = LabTopology.withStandbys(2);
        LabTopology three = LabTopology.withStandbys(3);

        assertThat(two.standbys()).extracting(LabNode::name).containsExactly("n2", "n4");
        assertThat(two.dataNodes()).extracting(LabNode::name).containsExactly("n1", "n2", "n4");
        assertThat(two.node("n4")).isEqualTo(new LabNode("n4", 4, "198.18.0.14", NodeRole.STANDBY, 104));
        assertThat(three.standbys()).extracting(LabNode::address).containsExactly("198.18.0.12", "198.18.0.14",
                "198.18.0.15");
        assertThat(three.nodes().subList(0, 4)).isEqualTo(two.nodes());
        assertThat(LabTopology.widest()).isEqualTo(three);
        assertThat(three.nodes()).allSatisfy(n -> assertThat(n.address()).startsWith("198.18.0."));
    }

    @Test
    void aNumberOfStandbysOutOfRangeIsRefusedNamingTheRange() {
        assertThatThrownBy(() -> LabTopology.withStandbys(0)).hasMessageContaining("--standbys 0")
                .hasMessageContaining("1 to 3");
        assertThatThrownBy(() -> LabTopology.withStandbys(4)).hasMessageContaining("--standbys 4");
    }

    @Test
    void theShapeLabUpMadeIsReadBackAndADirectoryWithoutOneHoldsTheStandardLab(@TempDir Path dir) {
        LabLayout layout = new LabLayout(dir);

        assertThat(RecordedTopology.read(layout)).isEqualTo(LabTopology.standard());
        RecordedTopology.write(layout, LabTopology.withStandbys(2));
        assertThat(RecordedTopology.read(layout)).isEqualTo(LabTopology.withStandbys(2));
    }

    @Test
    void aDamagedRecordIsAnErrorThatSaysWhatToDo(@TempDir Path dir) throws Exception {
        LabLayout layout = new LabLayout(dir);
        Files.writeString(layout.topologyFile(), "{\"standbys\": 9}\n");

        assertThatThrownBy(() -> RecordedTopology.read(layout)).isInstanceOf(LabException.class)
                .hasMessageContaining(layout.topologyFile().toString()).hasMessageContaining("lab down");
    }
}
