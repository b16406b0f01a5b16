package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.rejoin.NodeRejoin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgflip rejoin}: run on a failed old primary to bring it back as a standby. */
@Command(name = "rejoin", mixinStandardHelpOptions = true,
        description = {
            "Rejoin this failed old primary as a standby of the new primary.",
            "",
            "Run on the old primary's node, as postgres, with its PostgreSQL stopped.",
            "A standby that streams has nothing to do. One that does not stream, on a",
            "timeline older than the primary's, may hold WAL past where the primary's",
            "history left it (another standby that streamed from an old primary",
            "restarted on its old timeline): it is stopped and rewound like an old",
            "primary. One on the primary's own timeline is left alone (nothing to",
            "rewind). A fenced node (running in recovery) is stopped first; one whose",
            "postmaster runs (pg_ctl status) but refuses connections yet is given 60 s",
            "to answer. A postmaster.pid whose PID is alive but works outside the data",
            "directory (a killed postmaster's PID taken by another process) is stale:",
            "it is removed, and the node counts as stopped.",
            "Refuses while it still runs as a primary (repmgr does not fence). Finds the",
            "current primary through the floating IP and rewinds this node onto it only",
            "if it is a primary on a newer timeline than this node's: pg_rewind throws",
            "away what the target wrote after the two histories split, so the node",
            "promoted later must be the source, never the target. This node's timeline",
            "comes from its control file (pg_controldata -D data_directory, both from",
            "rejoin.repmgr_conf: data_directory, pg_bindir), the greater of the latest",
            "checkpoint's and the minimum recovery point's (the checkpoint lags for",
            "minutes after a promotion); the source's from its current WAL file name.",
            "If the source is a standby, or a primary on an older or the same timeline,",
            "nothing is changed and the message names both nodes and both timelines.",
            "Otherwise it CHECKPOINTs the source (pg_rewind reads its control file), runs",
            "'repmgr node rejoin --force-rewind', and waits until this node answers as a",
            "standby. Then restart this node's repmgrd so it monitors as a standby.",
            "",
            "There is no override: to discard the newer node's writes on purpose (a split",
            "brain settled the other way), run repmgr node rejoin by hand.",
            "",
            "Config keys: rejoin.repmgr_conf, rejoin.config_archive_dir, rejoin.repmgr",
            "(default: repmgr on PATH)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node is a standby",
            "1:the rejoin failed (repmgr's output is logged), the current primary could not be reached, or the node's"
                    + " PostgreSQL runs but did not answer within 60 s, or pgflip watch's fence kept restarting it"
                    + " for over 150 s (nothing was changed)",
            "2:configuration error, the node still runs as a primary, its timeline cannot be read, or the floating"
                    + " IP leads to a primary that is not on a newer timeline than this node, or to one that its own"
                    + " repmgr.nodes does not record as primary (nothing was changed)",
            "3:the floating IP leads to a standby (nothing was changed)"})
final class RejoinCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AgentConfig cfg = AgentConfigLoader.load(config.file, ConfigPurpose.REJOIN);
        spec.commandLine().getOut().println(new NodeRejoin(cfg, new ProcessRunner()).run());
        return ExitCode.OK.code();
    }
}
