package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.agent.status.StatusLook;
import dev.pgflip.agent.status.StatusOutput;
import dev.pgflip.agent.status.StatusReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgflip status}: the whole cluster and the floating IP on one screen, from any node. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Show the cluster, the floating IP's holder, what needs attention.",
            "",
            "Run on any node (primary, standby, witness) as postgres; changes nothing. The",
            "nodes come from repmgr.nodes of this node's PostgreSQL (node.database), else",
            "of the node behind the floating IP. Every node is asked at once with the",
            "agent's 1 s connect, login and query timeouts, as node.database.user; a node",
            "that has not answered within 5 s is shown unreachable.",
            "",
            "Columns:",
            "  Role      what the node answers now: primary (accepts writes), standby (in",
            "            recovery), witness, unreachable; Type is what repmgr recorded",
            "  TL        timeline: a primary's from its WAL, a standby's last checkpoint's",
            "  Upstream  the node its walreceiver streams from",
            "  Lag       WAL the primary wrote that the standby has not flushed / replayed",
            "            (pg_stat_replication on the primary), and replay_lag when measured;",
            "            without a walsender, the difference of the two WAL positions",
            "  Sync      the primary's sync_state for it: sync, quorum, potential, async",
            "  Fence     default_transaction_read_only, which pgflip's fence sets and",
            "            'pgflip rejoin' resets: visible from any node. The reason, in",
            "            fencing.state_file, is read on this node only: '(record)'",
            "  Watch     pgflip watch keeps a session named pgflip-watch:NODE on its own",
            "            node: alive; stalled (idle for over 90 s: stopped or hung);",
            "            absent; unknown (the node does not answer); - on a witness",
            "            (not_expected in JSON)",
            "",
            "The floating IP: for flip.provider digitalocean, the holder by the API (as",
            "'pgflip flip status'), named by droplet id, name or address, and by this",
            "droplet's metadata service; for local, whether this host has the address; for",
            "exec, unknown. Then the last failover events of this node's events.log_file",
            "(promotions, follows, rejoins, fences, moves of the IP, degrades, a stuck",
            "repmgrd connection ended or not: repmgrd_unblocked, repmgrd_unblock_failed).",
            "",
            "Needs attention (the \"code\" of -o json), each with what to do:",
            "  cluster_unreadable   repmgr.nodes cannot be read here nor through the IP",
            "  no_primary           no data node answers as primary",
            "  several_writable     more than one data node accepts writes",
            "  node_unreachable     a node of repmgr.nodes does not answer",
            "  fenced_primary       the primary is fenced (read-only, or a fence record)",
            "  fenced_node          a data node is fenced in recovery (needs pgflip rejoin)",
            "  flip_not_on_primary  the floating IP is elsewhere, or on no droplet",
            "  flip_unknown         digitalocean: the API cannot say who holds it",
            "  flip_views_disagree  the API and the metadata service disagree about this",
            "                       droplet",
            "  not_streaming        a standby does not stream from the primary",
            "  sync_expected_async  a standby replication.synchronous_standby_names names",
            "                       streams asynchronously",
            "  repmgrd_not_looking  repmgrd on a standby or the witness has not looked at",
            "                       its upstream since PostgreSQL started",
            "  repmgrd_stalled      it last saw its upstream 10 s ago or more",
            "  witness_not_following",
            "                       repmgrd on the witness monitors another node than the",
            "                       primary (its Upstream)",
            "  watch_not_alive      pgflip watch is absent or stalled on a data node",
            "",
            "-o json: {healthy, exit_code, node, nodes_from, nodes_error, nodes: [{id,",
            "name, type, host, port, active, local, role, reachable, error, timeline,",
            "upstream, replication: {state, sync_state, flush_lag_bytes, replay_lag_bytes,",
            "replay_lag_ms} | null, fence: {fenced, read_only, record_known, record},",
            "watch}], synchronous_standby_names, configured_synchronous_standby_names,",
            "flip: {ip, provider, self_droplet_id, holder: {known, assigned, droplet_id,",
            "droplet_name, node, on_this_node, locked, error}, metadata: {active, address,",
            "error} | null}, events: [{ts, node, event, success, details}], events_note,",
            "problems: [{code, node, message, fix}]}. Every field is always there, null",
            "when unknown. Nothing secret is printed.",
            "",
            "Examples:",
            "  pgflip status",
            "  pgflip status -o json | jq -r '.problems[].code'",
        },
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing needs attention", "2:configuration error",
            "5:something needs attention (listed, with the fix)"})
final class StatusCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The agent's YAML configuration, as pgflip watch uses it. Default: /etc/pgflip/agent.yaml"
                    + " (the package's).")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text: the table and the lists; json: the same as one object. Default: ${DEFAULT-VALUE}.")
    StatusOutput.Format output;

    @Option(names = "--events", paramLabel = "N", defaultValue = "5",
            description = "How many failover events to show (0: none). Default: ${DEFAULT-VALUE}.")
    int events;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (events < 0) {
            throw new PgflipException(ExitCode.USAGE, "--events " + events + " must be 0 or more");
        }
        AgentConfig cfg = AgentConfigLoader.load(config == null ? DebianLayout.CONFIG : config, ConfigPurpose.STATUS);
        StatusReport report = new StatusLook(cfg, Environment.current()).look(events);
        PrintWriter out = spec.commandLine().getOut();
        out.print(StatusOutput.render(report, output));
        out.flush();
        return report.exitCode();
    }
}
