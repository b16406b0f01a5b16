package dev.pgflip.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationAndRejoinConfigTest {
    @TempDir
    Path dir;

    @Test
    void replicationSectionIsReadWithItsDefaultGracePeriod() {
        AgentConfig config = AgentConfigLoaderTest.parse(AgentConfigLoaderTest.FULL
                + "replication:\n  synchronous_standby_names: \"ANY 1 (n1, n2)\"\n", ConfigPurpose.WATCH);
        assertThat(config.replication()).hasValueSatisfying(r -> {
            assertThat(r.synchronousStandbyNames()).isEqualTo("ANY 1 (n1, n2)");
            assertThat(r.degradeAfter()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void anEmptySynchronousStandbyNamesIsRefusedNamingTheKey() {
        String message = AgentConfigLoaderTest.problems(AgentConfigLoaderTest.FULL
                + "replication:\n  synchronous_standby_names: \"\"\n", ConfigPurpose.WATCH);
        assertThat(message).contains("replication.synchronous_standby_names").contains("\"\" is not a non-empty string");
    }

    @Test
    void rejoinNeedsAnExistingRepmgrConfAndSaysWhichKeyIsWrong() throws Exception {
        Path conf = Files.writeString(dir.resolve("repmgr.conf"), "node_id=1\n");
        AgentConfig config = AgentConfigLoaderTest.parse(AgentConfigLoaderTest.FULL + "rejoin:\n  repmgr_conf: " + conf
                + "\n  config_archive_dir: /tmp/archive\n", ConfigPurpose.REJOIN);
        assertThat(config.requireRejoin().repmgrConf()).isEqualTo(conf);
        assertThat(config.requireRejoin().repmgr()).isEqualTo("repmgr");

        String message = AgentConfigLoaderTest.problems(AgentConfigLoaderTest.FULL + "rejoin:\n  repmgr_conf: "
                + dir.resolve("missing.conf") + "\n  config_archive_dir: /tmp/archive\n", ConfigPurpose.REJOIN);
        assertThat(message).contains("rejoin.repmgr_conf").contains("not an existing file");
    }

    @Test
    void rejoinWithoutItsSectionNamesTheSection() {
        assertThat(AgentConfigLoaderTest.problems(AgentConfigLoaderTest.FULL, ConfigPurpose.REJOIN))
                .contains("rejoin: missing section");
    }

    @Test
    void followNeedsOnlyTheNodeItsDatabaseAndRejoinAndNamesTheRejoinKeysWhenTheSectionIsMissing() throws Exception {
        Path conf = Files.writeString(dir.resolve("repmgr.conf"), "node_id=3\n");
        String node = "node: {name: n3, database: {host: 127.0.0.1, port: 5432, dbname: repmgr, user: repmgr}}\n";
        AgentConfig config = AgentConfigLoaderTest.parse(node + "rejoin:\n  repmgr_conf: " + conf
                + "\n  config_archive_dir: /tmp/archive\n  repmgr: /usr/lib/postgresql/15/bin/repmgr\n",
                ConfigPurpose.FOLLOW);
        assertThat(config.requireRejoin().repmgr()).isEqualTo("/usr/lib/postgresql/15/bin/repmgr");

        assertThat(AgentConfigLoaderTest.problems(node, ConfigPurpose.FOLLOW))
                .contains("rejoin: missing section, required for pgflip follow: add rejoin.repmgr_conf")
                .contains("rejoin.repmgr (the repmgr binary").doesNotContain("flip: missing");
        assertThat(AgentConfigLoaderTest.problems("node: {name: n3}\n", ConfigPurpose.FOLLOW))
                .contains("node.database: missing section, required for pgflip follow");
    }
}
