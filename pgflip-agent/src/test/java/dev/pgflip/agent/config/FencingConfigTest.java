package dev.pgflip.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencingConfigTest {
    private static final String LAB_REPMGR = "conninfo='host=198.18.0.11 connect_timeout=2 tcp_user_timeout=900'\n"
            + "reconnect_attempts=1\nreconnect_interval=1\n";
    @TempDir
    Path dir;

    private String fencing(String repmgrConf, String extra) throws Exception {
        Path conf = Files.writeString(dir.resolve("repmgr.conf"), repmgrConf);
        return AgentConfigLoaderTest.FULL + "fencing:\n  repmgr_conf: " + conf + "\n  state_file: " + dir.resolve("fence")
                + "\n" + extra;
    }

    @Test
    void theIsolationTimeoutIsDerivedFromRepmgrConfByDefault() throws Exception {
        AgentConfig config = AgentConfigLoaderTest.parse(fencing(LAB_REPMGR, ""), ConfigPurpose.WATCH);
        assertThat(config.fencing()).hasValueSatisfying(f -> {
            assertThat(f.earliestPromotion()).isEqualTo(Duration.ofMillis(1900));
            assertThat(f.isolationTimeout()).isEqualTo(Duration.ofMillis(1350));
            assertThat(f.probeInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(f.stateFile()).isEqualTo(dir.resolve("fence"));
        });
    }

    @Test
    void aShorterTimeoutIsAcceptedALongerOneIsRefusedWithTheArithmetic() throws Exception {
        AgentConfig config = AgentConfigLoaderTest.parse(fencing(LAB_REPMGR, "  isolation_timeout: 800ms\n"),
                ConfigPurpose.WATCH);
        assertThat(config.fencing().orElseThrow().isolationTimeout()).isEqualTo(Duration.ofMillis(800));

        assertThat(AgentConfigLoaderTest.problems(fencing(LAB_REPMGR, "  isolation_timeout: 2s\n"), ConfigPurpose.WATCH))
                .contains("fencing.isolation_timeout: 2000ms is too long")
                .contains("can promote a standby 1900ms after a partition")
                .contains("at most 1350ms");
        assertThat(AgentConfigLoaderTest.problems(fencing(LAB_REPMGR, "  isolation_timeout: soon\n"), ConfigPurpose.WATCH))
                .contains("fencing.isolation_timeout = 'soon': not a duration; expected "
                        + dev.pgflip.common.DurationText.FORMS + ", or auto");
        assertThat(AgentConfigLoaderTest.problems(fencing(LAB_REPMGR, "  isolation_timeout: 0s\n"), ConfigPurpose.WATCH))
                .contains("fencing.isolation_timeout: \"0s\" must be longer than 0, or auto");
        assertThat(AgentConfigLoaderTest.parse(fencing(LAB_REPMGR, "  isolation_timeout: PT0.8S\n"), ConfigPurpose.WATCH)
                .fencing().orElseThrow().isolationTimeout()).as("the shared grammar").isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aProbePortIsOptionalAndMustBeATcpPort() throws Exception {
        assertThat(AgentConfigLoaderTest.parse(fencing(LAB_REPMGR, ""), ConfigPurpose.WATCH).fencing().orElseThrow()
                .probePort()).isEmpty();
        assertThat(AgentConfigLoaderTest.parse(fencing(LAB_REPMGR, "  probe_port: 5439\n"), ConfigPurpose.WATCH)
                .fencing().orElseThrow().probePort()).hasValue(5439);

        assertThat(AgentConfigLoaderTest.problems(fencing(LAB_REPMGR, "  probe_port: 70000\n"), ConfigPurpose.WATCH))
                .contains("fencing.probe_port: 70000 is not a TCP port (1-65535)");
        assertThat(AgentConfigLoaderTest.problems(fencing(LAB_REPMGR, "  probe_port: watch\n"), ConfigPurpose.WATCH))
                .contains("fencing.probe_port").contains("is not a positive whole number");
    }

    @Test
    void repmgrSettingsTooFastToFenceFirstAreRefusedWithTheFix() throws Exception {
        String hasty = "conninfo='host=a connect_timeout=2 tcp_user_timeout=100'\nreconnect_attempts=0\n";
        assertThat(AgentConfigLoaderTest.problems(fencing(hasty, ""), ConfigPurpose.WATCH))
                .contains("fencing.repmgr_conf: lets a standby promote 100ms after a partition starts")
                .contains("raise reconnect_attempts");
    }

    @Test
    void missingKeysAndAnUnreadableRepmgrConfAreNamed() throws Exception {
        assertThat(AgentConfigLoaderTest.problems(AgentConfigLoaderTest.FULL + "fencing:\n  probe_interval: 100ms\n",
                ConfigPurpose.WATCH))
                .contains("fencing.repmgr_conf: missing").contains("fencing.state_file: missing");
        assertThat(AgentConfigLoaderTest.problems(fencing("node_id=1\n", ""), ConfigPurpose.WATCH))
                .contains("fencing.repmgr_conf:").contains("has no conninfo");
    }
}
