package dev.pgflip.lab.cluster;

import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's repmgr.conf. The monitor settings are the ones LAB-NOTES measured: a 1 s monitor interval and two
 * reconnect attempts get a kill -9 failover started ≈ 1.35 s after the fault.
 */
public record RepmgrConfig(LabNode node, LabLayout layout, Path pgBinDir) {

    public String render() {
        Path data = layout.dataDir(node);
        String pgCtl = pgBinDir.resolve("pg_ctl") + " -D " + data + " -l " + layout.postgresLog(node);
        String agentConf = layout.agentConf(node).toString();
        List<String> lines = new ArrayList<>(List.of(
                "node_id=" + node.nodeId(),
                "node_name='" + node.name() + "'",
                "conninfo='" + conninfo() + "'",
                "data_directory='" + data + "'",
                "pg_bindir='" + pgBinDir + "'",
                "config_directory='" + data + "'",
                "use_replication_slots=yes",
                "location='lab'",
                "priority=" + (node.initialRole() == LabNode.NodeRole.WITNESS ? 0 : 100),
                "log_level='INFO'",
                "log_file='" + layout.repmgrLog(node) + "'",
                "failover='automatic'",
                "promote_command='" + layout.promoteHook() + " " + layout.repmgrConf(node) + " " + agentConf + "'",
                "follow_command='" + pgBinDir.resolve("repmgr") + " standby follow -f " + layout.repmgrConf(node)
                        + " --log-to-file --upstream-node-id=%n'",
                "monitor_interval_secs=1",
                "reconnect_attempts=2",
                "reconnect_interval=1",
                "connection_check_type='ping'",
                "standby_disconnect_on_failover=false",
                "repmgrd_pid_file='" + layout.repmgrdPid(node) + "'",
                "service_start_command='" + pgCtl + " -w start'",
                "service_stop_command='" + pgCtl + " -w -m fast stop'",
                "service_restart_command='" + pgCtl + " -w -m fast restart'",
                "service_reload_command='" + pgCtl + " reload'",
                "event_notification_command='" + layout.eventHook() + " --config " + agentConf
                        + " %n %e %s \"%t\" \"%d\"'"));
        return String.join("\n", lines) + "\n";
    }

    /** connect_timeout=2 is libpq's floor; it bounds each failed check when a node's link is down. */
    public String conninfo() {
        return "host=" + node.address() + " port=" + LabNode.PORT + " user=repmgr dbname=repmgr connect_timeout=2";
    }
}
