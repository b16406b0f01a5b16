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
            "Bring this failed old primary back as a standby of the current primary.",
            "",
            "Run on the old primary's node, as postgres, with its PostgreSQL stopped. Refuses while it still runs as a",
            "primary (repmgr does not fence). Finds the current primary through the floating IP, CHECKPOINTs it",
            "(pg_rewind reads its control file), runs 'repmgr node rejoin --force-rewind', and waits until this node",
            "answers as a standby. Then restart this node's repmgrd so it monitors as a standby.",
            "",
            "Config keys: rejoin.repmgr_conf, rejoin.config_archive_dir, rejoin.repmgr (default: repmgr on PATH)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node is a standby", "1:the rejoin failed (repmgr's output is logged)",
            "2:configuration error, or the node still runs as a primary", "3:the floating IP leads to a standby"})
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
