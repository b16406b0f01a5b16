package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabTopology;
import dev.pgflip.lab.cluster.AgentConfigFile;
import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.cluster.RepmgrConfig;
import dev.pgflip.lab.tls.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncSettingsTest {

    @Test
    void theDegradeAfterOfTheLabsOwnAgentYamlIsRead(@TempDir Path tmp) throws Exception {
        LabTopology topology = LabTopology.standard();
        LabLayout layout = new LabLayout(tmp, tmp.resolve("etc-netns"));
        // The loader checks the files the YAML names, as on a lab that is up.
        Files.createDirectories(layout.secrets());
        Files.writeString(layout.repmgrPasswordFile(), "secret\n");
        Files.createDirectories(layout.tls());
        Files.copy(TestTls.caFile(), layout.caCertificate());
        Files.createDirectories(layout.nodeEtc(topology.node("n1")));
        Files.writeString(layout.repmgrConf(topology.node("n1")),
                new RepmgrConfig(topology.node("n1"), layout, PostgresNode.PG_BIN).render());
        Path yaml = tmp.resolve("pgflip.yaml");
        Files.writeString(yaml, new AgentConfigFile(topology.node("n1"), topology, layout, PostgresNode.PG_BIN).render());

        assertThat(SyncSettings.degradeAfterMs(yaml)).isEqualTo(1_000);
        assertThat(new SyncSettings(1_000, 3_000).degradeBoundMs()).isEqualTo(4_000);
    }

    @Test
    void anUnreadableYamlIsNamed(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.yaml");

        assertThatThrownBy(() -> SyncSettings.degradeAfterMs(missing)).isInstanceOf(LabException.class)
                .hasMessageContaining("replication.degrade_after").hasMessageContaining("nope.yaml");
    }
}
