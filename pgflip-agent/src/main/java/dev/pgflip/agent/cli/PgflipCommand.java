package dev.pgflip.agent.cli;

import picocli.CommandLine.Command;

/**
 * The {@code pgflip} top command. The agent's own subcommands are registered here; the lab module adds
 * {@code lab} (and later {@code drill}) on top of it in its launcher.
 */
@Command(
        name = "pgflip",
        mixinStandardHelpOptions = true,
        versionProvider = PgflipVersion.class,
        description = {
            "Keeps a DigitalOcean Floating (Reserved) IP on the primary of a repmgr cluster.",
            "",
            "Run on every PostgreSQL node of a repmgr-managed cluster: repmgr's",
            "promote_command calls 'pgflip promote', its follow_command 'pgflip follow',",
            "its event_notification_command 'pgflip event'. 'pgflip flip' inspects or",
            "moves the IP by hand; 'pgflip doctor' checks that the node is ready for a",
            "failover; 'pgflip status' shows the whole cluster and the IP's holder on one",
            "screen; 'pgflip switchover', run on the primary, hands its role to a standby",
            "for planned maintenance. On the data nodes, 'pgflip start-guard' runs before",
            "PostgreSQL starts (a systemd drop-in) so an old primary starts in recovery."
        },
        subcommands = {PromoteCommand.class, FlipCommand.class, EventCommand.class, WatchCommand.class,
            FollowCommand.class, RejoinCommand.class, DoctorCommand.class, StatusCommand.class, SwitchoverCommand.class,
            StartGuardCommand.class})
public final class PgflipCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: see 'pgflip --help'.");
    }
}
