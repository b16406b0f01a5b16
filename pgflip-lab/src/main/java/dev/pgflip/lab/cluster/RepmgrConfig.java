package dev.pgflip.lab.cluster;

import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's repmgr.conf. Failure detection is tuned for a LAN (docs/operations.md has the measured trade-off): a 1 s
 * monitor interval and one reconnect attempt, so a refused primary (kill -9) is given up at the first failed check
 * and a silent one (link down) after two checks of about 1 s each, instead of two attempts of libpq's 2 s
 * connect_timeout floor with a 1 s sleep between them (≈ 7.5 s before promote_command, LAB-NOTES).
 */
public record RepmgrConfig(LabNode node, LabLayout layout, Path pgBinDir) {
    public static final int RECONNECT_ATTEMPTS = 1;
    /** repmgrd's monitoring loop, in seconds: also what "its repmgrd loops" is judged by (drill run start). */
    public static final int MONITOR_INTERVAL_SECS = 1;
    public static final int TCP_USER_TIMEOUT_MS = 900;
    /** How often the witness copies repmgr.nodes from the primary, in seconds (repmgr's default: 15). */
    public static final int WITNESS_SYNC_INTERVAL_SECS = 1;

    public String render() {
        Path data = layout.dataDir(node);
        String pgCtl = pgBinDir.resolve("pg_ctl") + " -D " + data + " -l " + layout.postgresLog(node);
        String agentConf = LabLayout.NODE_AGENT_CONF.toString();
        String repmgrConf = LabLayout.NODE_REPMGR_CONF.toString();
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
                "promote_command='" + DebianLayout.PROMOTE_HOOK + " " + repmgrConf + " " + agentConf + " "
                        + layout.fenceState(node) + "'",
                // Through the agent, as the guide's: it follows only a node that answers as a writable primary
                // (never a fenced one), then runs repmgr standby follow.
                "follow_command='" + DebianLayout.LAUNCHER + " follow --config " + agentConf + " --upstream-node-id=%n'",
                "monitor_interval_secs=" + MONITOR_INTERVAL_SECS,
                "reconnect_attempts=" + RECONNECT_ATTEMPTS,
                "reconnect_interval=1",
                "connection_check_type='ping'",
                // The witness finds the primary only in its own copy of repmgr.nodes. A promotion marks the old
                // primary inactive there; when that node was back as a standby and the next failure came before the
                // next copy (15 s by default), the witness's repmgrd, sent to look for the primary again by a failed
                // check at its copy time, found none, took the standby for the last primary and looped without a
                // pause (seen on the lab: kill and link-down drills, 40 % of the lab's CPU until repmgrd's restart).
                "witness_sync_interval=" + WITNESS_SYNC_INTERVAL_SECS,
                // Off, and said so: on, a kill -9 detected in under two monitor intervals is always "still visible"
                // to the witness, the election is cancelled and repmgrd never runs it again (measured on the lab; repmgr
                // issues #674, #742). The partition between data nodes that it guards against is closed instead by
                // promotion claims on the witness, which the promote wrapper checks (PromotionClaims).
                "primary_visibility_consensus=false",
                "standby_disconnect_on_failover=false",
                "repmgrd_pid_file='" + layout.repmgrdPid(node) + "'",
                // Data nodes as the guide's systemd drop-in: the guard decides before PostgreSQL starts whether an old
                // primary may start writable (issue 13, hole 3). The witness takes no writes: nothing to guard. Its
                // line goes to stderr: repmgr reads only the first line of stdout and then closes the pipe, so a first
                // line from the guard made pg_ctl die of SIGPIPE before its -w wait (a rejoin's stop then came too soon).
                "service_start_command='" + (node.initialRole() == LabNode.NodeRole.WITNESS ? ""
                        : PostgresNode.START_GUARD_COMMAND + " >&2 && ") + pgCtl + " -w start'",
                "service_stop_command='" + pgCtl + " -w -m fast stop'",
                "service_restart_command='" + pgCtl + " -w -m fast restart'",
                "service_reload_command='" + pgCtl + " reload'",
                "event_notification_command='" + DebianLayout.EVENT_HOOK + " --config " + agentConf
                        + " %n %e %s \"%t\" \"%d\"'"));
        return String.join("\n", lines) + "\n";
    }

    /**
     * The node's /etc/default/repmgrd, as the guide's section 9 writes it, but disabled: the lab starts repmgrd itself
     * (no init system here) with the same options, and Debian's init script must not start a second one.
     */
    public static String debianDefaults() {
        return String.join("\n",
                "# Generated by 'pgflip lab up': Debian's repmgrd init script settings, as the deploy guide writes them.",
                "# Disabled here: the lab starts 'repmgrd -f /etc/repmgr.conf --daemonize=false' itself.",
                "REPMGRD_ENABLED=no",
                "REPMGRD_CONF=\"" + LabLayout.NODE_REPMGR_CONF + "\"",
                "REPMGRD_OPTS=\"--daemonize=false\"",
                "");
    }

    /**
     * connect_timeout=2 is libpq's floor, too slow for a silent node; tcp_user_timeout under 1 s makes the kernel give
     * up at the first SYN retransmission (1 s) instead: a check of a linked-down node failed after 1.09 s instead of
     * 3.06 s (measured with pg_isready from n2). It also bounds how long an established repmgr or replication
     * connection waits on unacknowledged data.
     */
    public String conninfo() {
        return "host=" + node.address() + " port=" + LabNode.PORT + " user=repmgr dbname=repmgr connect_timeout=2"
                + " tcp_user_timeout=" + TCP_USER_TIMEOUT_MS;
    }
}
