package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads this node's settings and judges them with {@link FailoverSettingsRules}. */
final class FailoverSettingsCheck {
    static final List<String> CHECKS = List.of("wal_log_hints", "replication_slots", "hot_standby",
            "synchronous_replication", "shared_preload_libraries");

    private final Optional<LocalNode> node;
    private final Optional<ClusterView> cluster;
    private final Optional<RepmgrConf> repmgr;
    private final AgentConfig config;
    private final Path configFile;

    FailoverSettingsCheck(Optional<LocalNode> node, Optional<ClusterView> cluster, Optional<RepmgrConf> repmgr,
                          AgentConfig config, Path configFile) {
        this.node = node;
        this.cluster = cluster;
        this.repmgr = repmgr;
        this.config = config;
        this.configFile = configFile;
    }

    void run(DoctorReport report) {
        if (node.isEmpty()) {
            CHECKS.forEach(c -> report.add(CheckResult.skipped(c, c + " not checked: this node's PostgreSQL does not answer")));
            return;
        }
        Map<String, ServerSetting> settings;
        try {
            settings = ServerSettings.read(node.get().connection());
        } catch (SQLException e) {
            report.add(CheckResult.fail("settings", "cannot read pg_settings: " + CheckResult.firstLine(e.getMessage()),
                    "give node.database.user in " + configFile + " a role that can read pg_settings (repmgr's)"));
            return;
        }
        boolean witness = cluster.flatMap(ClusterView::local).map(m -> m.type().equals(ClusterMember.WITNESS)).orElse(false);
        long dataNodes = cluster.map(ClusterView::dataNodes).orElse(2L);
        new FailoverSettingsRules(settings, repmgr.map(r -> r.flag("use_replication_slots")), dataNodes,
                config.replication(), config.requireNode().name(), witness, configFile).check().forEach(report::add);
    }
}
