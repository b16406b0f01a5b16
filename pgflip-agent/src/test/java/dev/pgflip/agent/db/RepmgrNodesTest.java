package dev.pgflip.agent.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.db.RepmgrNode.Type;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RepmgrNodesTest {
    private static RepmgrNode node(int id, String name, String type, boolean active, String conninfo, Integer upstream) {
        return new RepmgrNode(id, name, Type.of(type), active, Conninfo.parse(conninfo),
                upstream == null ? OptionalInt.empty() : OptionalInt.of(upstream));
    }

    private final RepmgrNodes lab = new RepmgrNodes(List.of(
            node(1, "n1", "primary", true, "host=198.18.0.11 dbname=repmgr", null),
            node(2, "n2", "standby", true, "host=198.18.0.12 port=5433 dbname=repmgr", 1),
            node(3, "n3", "witness", true, "host=198.18.0.13 dbname=repmgr", 1)));

    @Test
    void nodesAreFoundByNameAndTheOthersAreEveryoneElse() {
        assertThat(lab.named("n2")).map(RepmgrNode::id).hasValue(2);
        assertThat(lab.named("n9")).isEmpty();
        assertThat(lab.otherThan("n1")).extracting(RepmgrNode::name).containsExactly("n2", "n3");
        assertThat(lab.otherThan("n1")).filteredOn(RepmgrNode::holdsData).extracting(RepmgrNode::name)
                .containsExactly("n2");
    }

    @Test
    void aStandbyStreamsFromTheNodeItsUpstreamIdNames() {
        RepmgrNode n1 = lab.named("n1").orElseThrow();
        RepmgrNode n2 = lab.named("n2").orElseThrow();
        assertThat(n2.streamsFrom(n1)).isTrue();
        assertThat(n1.streamsFrom(n2)).as("a primary has no upstream").isFalse();
        assertThat(n2.streamsFrom(n2)).isFalse();
    }

    @Test
    void theWitnessIsTheActiveOneWithAnAddress() {
        assertThat(lab.activeWitness()).map(c -> c.host().orElseThrow()).hasValue("198.18.0.13");
        RepmgrNodes stopped = new RepmgrNodes(List.of(node(3, "n3", "witness", false, "host=198.18.0.13", null),
                node(4, "n4", "witness", true, "dbname=repmgr", null)));
        assertThat(stopped.activeWitness()).as("inactive, or registered without a host").isEmpty();
    }

    @Test
    void repmgrsTypesAreReadAsItSpellsThemAndAnUnknownOneIsNamed() {
        assertThat(Type.of("standby")).isEqualTo(Type.STANDBY);
        assertThat(Type.WITNESS.label()).isEqualTo("witness");
        assertThatThrownBy(() -> Type.of("observer")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown type 'observer'");
    }
}
