package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.switchover.Switchover;
import dev.pgflip.common.DurationText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgflip switchover --to NODE}: a planned handover of the primary role, run on the primary. */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = {
            "Hand the primary role to a standby, no acknowledged commit lost.",
            "",
            "Run on the current primary, as postgres. Checks first, changing nothing:",
            "this node is the primary; NODE is an active standby that streams from it,",
            "replays at most --max-lag bytes behind, has no fence record and a",
            "promote_command; the witness answers and has not marked NODE ineligible.",
            "Then: pauses repmgrd on every node; CHECKPOINTs this node while writes",
            "still flow; makes new transactions here read-only",
            "(default_transaction_read_only) and waits up to --drain-wait for the",
            "running write transactions to end (the stop aborts those left); stops this",
            "node cleanly (repmgr node service --action=stop). Once its control file",
            "records the shutdown checkpoint (pg_controldata; the stop command may",
            "still be ending): with pgflip-promote as NODE's promote_command, claims",
            "NODE's promotion on the witness; waits until NODE has received that",
            "checkpoint, else withdraws the claim, starts this node again as the",
            "primary and stops, nothing else changed; then promotes NODE (pg_promote)",
            "over connections opened before the drain; a refused claim or a failed",
            "pg_promote starts this node again as the primary. Then runs NODE's",
            "promote_command on NODE through its database connection (COPY TO PROGRAM,",
            "as NODE's postgres user: the repmgr superuser may already do that; no SSH",
            "is needed) with PGFLIP_PROMOTED_BY=switchover, which records the promotion",
            "(repmgr primary register --force) and moves the floating IP. With another",
            "promote_command, runs it there to promote, as on a failover. Then tells",
            "the witness to follow NODE (repmgr.notify_follow_primary), runs every",
            "other standby's own follow_command there the same way (pgflip follow, %%n =",
            "NODE's id; its repmgrd is paused), once the stop command has ended rejoins",
            "this node as NODE's standby (as pgflip rejoin), resets its",
            "default_transaction_read_only and resumes repmgrd everywhere; pgflip watch",
            "on NODE restores synchronous replication.",
            "",
            "Writes pause from the drain until NODE is writable (about 1.3 s on the",
            "lab); pgflip-jdbc clients hold and retry through it. Each step is",
            "printed with its time since the start."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:NODE is the primary and this node its standby",
            "1:a step failed: the message says which node is the primary now",
            "2:configuration error, or a check refused the switchover (nothing was changed)"})
final class SwitchoverCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--to", paramLabel = "NODE", required = true,
            description = "The standby to promote, by its repmgr node name.")
    String target;

    @Option(names = "--max-lag", paramLabel = "BYTES", defaultValue = "16777216",
            description = "Refuse while NODE replays further behind. Default: ${DEFAULT-VALUE} (16 MiB).")
    long maxLagBytes;

    @Option(names = "--catch-up-wait", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long NODE may take to receive the shutdown checkpoint: "
                    + DurationText.FORMS + ". Default: ${DEFAULT-VALUE}.")
    String catchUpWait;

    @Option(names = "--drain-wait", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long running write transactions may take to end before the stop: "
                    + DurationText.FORMS + ". Default: ${DEFAULT-VALUE}.")
    String drainWait;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var catchUp = WatchCommand.duration("--catch-up-wait", catchUpWait);
        var drain = WatchCommand.duration("--drain-wait", drainWait);
        AgentConfig cfg = AgentConfigLoader.load(config.file, ConfigPurpose.REJOIN);
        PrintWriter out = spec.commandLine().getOut();
        String done = new Switchover(cfg, new ProcessRunner(), line -> {
            out.println(line);
            out.flush();
        }).run(target, maxLagBytes, catchUp, drain);
        out.println(done);
        return ExitCode.OK.code();
    }
}
