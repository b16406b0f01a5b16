package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.fence.StartGuard;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgflip start-guard}: run before PostgreSQL starts on a data node. */
@Command(name = "start-guard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run before PostgreSQL starts: an old primary starts in recovery.",
            "",
            "Run as postgres just before the data node's PostgreSQL starts: a systemd",
            "drop-in for postgresql@15-main (the package ships one in /usr/share/pgflip/:",
            "postgresql-start-guard.conf), or ahead of the command that starts it:",
            "  pgflip start-guard --config FILE && pg_ctl -D DATA -w start",
            "",
            "A node with standby.signal starts in recovery anyway: nothing to do. One",
            "that would start as a primary asks the witness and the data peers, whose",
            "list pgflip watch keeps in peers.json beside fencing.state_file (the local",
            "repmgr.nodes cannot be read before the start). It starts as it is when",
            "the witness records no promotion of another node after this node's",
            "timeline (from pg_controldata and pg_wal) and no data peer is a primary",
            "on it or a newer one; without the witness, when every data peer answers",
            "as a standby on this timeline or an older one. Otherwise it writes the",
            "fence record and standby.signal: PostgreSQL starts in recovery and",
            "refuses every write from its first moment. Outranked (another node was",
            "promoted later): it stays so until pgflip rejoin. Unproven (the witness",
            "and a peer do not answer): pgflip watch promotes it again once every",
            "data peer streams from it, as after an isolation fence.",
            "",
            "The outcome is printed and written to events.log_file (pgflip_start_guard).",
            "No peer list yet (pgflip watch never ran here): starts as it is.",
            "",
            "Config keys: node.name, node.database, fencing.repmgr_conf,",
            "fencing.state_file, events."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:decided: PostgreSQL may start (as it is, or in recovery under the fence just written)",
            "1:the decision could not be written (standby.signal or the fence record): do not start PostgreSQL;"
                    + " the message names the file",
            "2:configuration or usage error (no fencing section, repmgr.conf without data_directory)"})
final class StartGuardCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AgentConfig cfg = AgentConfigLoader.load(config.file, ConfigPurpose.START_GUARD);
        StartGuard guard = StartGuard.of(cfg);
        try {
            spec.commandLine().getOut().println(guard.run());
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println("pgflip start-guard: " + e.getMessage()
                    + "; do not start PostgreSQL until this is fixed");
            return 1;
        }
        return ExitCode.OK.code();
    }
}
