package dev.pgflip.lab.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabState;
import dev.pgflip.lab.LabTopology;
import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.cluster.RepmgrConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's nodes run what the package installs and the guide documents: the same command lines, read from both. */
class DropletLayoutTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private final LabTopology topology = LabTopology.standard();

    @Test
    void theWatchRunsThePackagesUnitCommandLine() throws Exception {
        String unit = Files.readString(REPO.resolve("pgflip-agent/src/deb/lib/systemd/system/pgflip-watch.service"));
        Matcher execStart = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit);

        assertThat(execStart.find()).as("ExecStart= in pgflip-watch.service").isTrue();
        assertThat(String.join(" ", PostgresNode.WATCH_COMMAND)).isEqualTo(execStart.group(1).strip());
        Matcher capabilities = Pattern.compile("(?m)^AmbientCapabilities=(.*)$").matcher(unit);
        assertThat(capabilities.find()).as("AmbientCapabilities= in pgflip-watch.service").isTrue();
        assertThat(capabilities.group(1).strip()).isEqualTo("CAP_" + PostgresNode.WATCH_CAPABILITY.toUpperCase(Locale.ROOT));
    }

    @Test
    void theHooksInEachNodesRepmgrConfAreTheGuidesLinesWithTheLabsFenceRecord(@TempDir Path tmp) throws Exception {
        String guide = Files.readString(REPO.resolve("docs/deploy-digitalocean.md"));
        LabLayout layout = new LabLayout(tmp, tmp.resolve("etc-netns"));
        for (var node : topology.nodes()) {
            String conf = new RepmgrConfig(node, layout, PostgresNode.PG_BIN).render();

            assertThat(line(conf, "promote_command")).isEqualTo(line(guide, "promote_command")
                    .replace("/var/lib/pgflip/fence.state", layout.fenceState(node).toString()));
            assertThat(line(conf, "event_notification_command")).isEqualTo(line(guide, "event_notification_command"));
            assertThat(line(conf, "follow_command")).isEqualTo(line(guide, "follow_command"));
        }
    }

    @Test
    void eachNodesDefaultsForDebiansInitScriptAreTheGuidesButDisabled() throws Exception {
        String guide = Files.readString(REPO.resolve("docs/deploy-digitalocean.md"));
        String lab = RepmgrConfig.debianDefaults();

        assertThat(line(lab, "REPMGRD_CONF")).isEqualTo(line(guide, "REPMGRD_CONF"));
        assertThat(line(lab, "REPMGRD_OPTS")).isEqualTo(line(guide, "REPMGRD_OPTS"));
        assertThat(line(lab, "REPMGRD_ENABLED")).as("the lab starts repmgrd itself").isEqualTo("no");
    }

    @Test
    void eachNodesEtcIsItsOwnDirectoryThatIpNetnsExecMountsOverEtc(@TempDir Path tmp) {
        LabLayout production = new LabLayout(tmp);

        assertThat(production.repmgrConf(topology.node("n2"))).isEqualTo(Path.of("/etc/netns/n2/repmgr.conf"));
        assertThat(production.agentConf(topology.node("n2"))).isEqualTo(Path.of("/etc/netns/n2/pgflip/agent.yaml"));
        assertThat(production.fenceState(topology.node("n2"))).isEqualTo(tmp.resolve("n2/fence.state"));
        assertThat(LabLayout.NODE_AGENT_CONF).isEqualTo(Path.of("/etc/pgflip/agent.yaml"));
    }

    @Test
    void thePackageIsTheNewestTheBuildLeftBesideTheJar(@TempDir Path repo) throws Exception {
        Path jar = Files.createDirectories(repo.resolve("pgflip-lab/target")).resolve("pgflip.jar");
        Files.writeString(jar, "jar");
        Path target = Files.createDirectories(repo.resolve("pgflip-agent/target"));
        Path older = Files.writeString(target.resolve("pgflip-agent_0.1.0~SNAPSHOT_all.deb"), "old");
        Path newer = Files.writeString(target.resolve("pgflip-agent_0.2.0~SNAPSHOT_all.deb"), "new");
        Files.writeString(target.resolve("pgflip-agent.jar"), "not a package");
        Files.setLastModifiedTime(older, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(newer, FileTime.fromMillis(2_000_000));

        assertThat(AgentPackage.locate(null, jar)).isEqualTo(newer);
        assertThat(AgentPackage.locate(older, jar)).isEqualTo(older);
    }

    @Test
    void noPackageIsAnErrorThatSaysHowToBuildIt(@TempDir Path repo) throws Exception {
        Path jar = Files.createDirectories(repo.resolve("pgflip-lab/target")).resolve("pgflip.jar");
        Files.writeString(jar, "jar");

        assertThatThrownBy(() -> AgentPackage.locate(null, jar)).isInstanceOf(LabException.class)
                .hasMessageContaining(repo.resolve("pgflip-agent/target").toString())
                .hasMessageContaining("mvn -DskipTests package").hasMessageContaining("--agent-package");
        assertThatThrownBy(() -> AgentPackage.locate(jar, jar)).isInstanceOf(LabException.class)
                .hasMessageContaining("--agent-package " + jar + " is not a .deb file");
    }

    @Test
    void theStateRemembersThePackageAndTheHostFilesForLabDown(@TempDir Path tmp) {
        Path file = tmp.resolve("state.json");
        LabState.empty().withAgentPackage("/x/pgflip-agent_1_all.deb").withHostFile(Path.of("/etc/netns/n1"))
                .withHostFile(Path.of("/etc/netns/n1/repmgr.conf")).withHostFile(Path.of("/etc/netns/n1")).save(file);

        LabState loaded = LabState.load(file);
        assertThat(loaded.agentPackage()).isEqualTo("/x/pgflip-agent_1_all.deb");
        assertThat(loaded.hostFiles()).containsExactly("/etc/netns/n1", "/etc/netns/n1/repmgr.conf");
    }

    @Test
    void removingTheHostFilesTakesFilesBeforeTheirDirectoriesAndLeavesOthersFiles(@TempDir Path tmp) throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("netns/n1/pgflip"));
        Path yaml = Files.writeString(etc.resolve("agent.yaml"), "x");
        Path conf = Files.writeString(tmp.resolve("netns/n1/repmgr.conf"), "x");
        Path theirs = Files.writeString(Files.createDirectories(tmp.resolve("netns/n2")).resolve("keep"), "x");

        List<Path> removed = NodeEtc.remove(List.of(tmp.resolve("netns").toString(), tmp.resolve("netns/n1").toString(),
                conf.toString(), etc.toString(), yaml.toString(), tmp.resolve("netns/n2").toString()));

        assertThat(removed).containsExactlyInAnyOrder(yaml, conf, etc, tmp.resolve("netns/n1"));
        assertThat(theirs).exists();
    }

    private static String line(String text, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(text);
        assertThat(m.find()).as(key + "= in the text").isTrue();
        return m.group(1);
    }
}
