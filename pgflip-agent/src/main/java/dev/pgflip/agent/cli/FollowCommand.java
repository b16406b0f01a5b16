package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.follow.NodeFollow;
import dev.pgflip.common.DurationText;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgflip follow}: repmgr's follow_command. */
@Command(name = "follow", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Make this standby follow the new primary once it is writable.",
            "",
            "For repmgr's follow_command, which repmgrd runs on every other standby",
            "after a promotion (%%n is the new primary's node_id; FILE is the agent's",
            "configuration, e.g. /etc/pgflip/agent.yaml):",
            "  follow_command='pgflip follow --config FILE --upstream-node-id=%%n'",
            "",
            "Looks node N up in this standby's repmgr.nodes (node.database), then asks",
            "N every 100 ms, in a new session as node.database's user, until it answers",
            "as a writable primary: pg_is_in_recovery() false and transaction_read_only",
            "off. A node in recovery has not finished its promotion, or was fenced in",
            "recovery; a read-only one carries pgflip's fence, put up on a primary that",
            "may be the losing side of a split: neither is followed. N must not be this",
            "node nor the witness. Then runs, with the rest of the time:",
            "  repmgr standby follow -f REPMGR_CONF --log-to-file --upstream-node-id=N",
            "(rejoin.repmgr, rejoin.repmgr_conf), its output passed through to repmgrd.",
            "--wait bounds all of it, repmgr's restart of PostgreSQL included: one killed",
            "at the deadline may leave the node stopped, so give it enough time.",
            "",
            "Every outcome, refusals included, is one pgflip_follow line in",
            "events.log_file (pgflip status lists it). If no writable primary answers",
            "in time nothing is changed: find the primary (pgflip status), then",
            "repmgr -f REPMGR_CONF standby follow --upstream-node-id=ITS_ID by hand.",
            "",
            "Config keys: node.name, node.database, rejoin.repmgr_conf,",
            "rejoin.config_archive_dir, rejoin.repmgr (default: repmgr on PATH), events."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:this node follows node N (repmgr standby follow succeeded)",
            "1:N did not answer as a writable primary within --wait (unreachable, in recovery or read-only: nothing was"
                    + " changed), or repmgr standby follow failed (its exit status is in the message) or was killed"
                    + " at the deadline",
            "2:configuration or usage error (no rejoin section, a bad --upstream-node-id or --wait), or N is not in"
                    + " repmgr.nodes, is this node or the witness (nothing was changed)"})
final class FollowCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--upstream-node-id", paramLabel = "N", required = true,
            description = "The node to follow, by its repmgr node_id: repmgrd passes the new primary's as %%n.")
    String upstreamNodeId;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long the whole follow may take, the wait for a writable primary and repmgr standby"
                    + " follow together: " + DurationText.FORMS + ". Default: ${DEFAULT-VALUE}.")
    String wait;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int upstream = nodeId(upstreamNodeId);
        Duration budget = WatchCommand.duration("--wait", wait);
        AgentConfig cfg = AgentConfigLoader.load(config.file, ConfigPurpose.FOLLOW);
        spec.commandLine().getOut().println(NodeFollow.of(cfg).run(upstream, budget));
        return ExitCode.OK.code();
    }

    /** repmgr's node_id: a positive number; a literal {@code %n} means the line was run outside repmgrd. */
    static int nodeId(String text) {
        String t = text.strip();
        if (t.matches("[0-9]{1,9}") && Integer.parseInt(t) > 0) {
            return Integer.parseInt(t);
        }
        throw new PgflipException(ExitCode.USAGE, "--upstream-node-id \"" + text + "\" is not a node id: give the"
                + " node_id of the node to follow (repmgr cluster show); in follow_command write --upstream-node-id=%n,"
                + " which repmgrd replaces with the new primary's");
    }
}
