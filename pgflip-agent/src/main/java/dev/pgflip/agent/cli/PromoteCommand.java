package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.promote.PromoteHook;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgflip promote}: repmgr's promote_command. */
@Command(
        name = "promote",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Promote this standby and move the floating IP to it.",
            "",
            "For repmgr's promote_command:",
            "  promote_command='pgflip promote --config /etc/pgflip/agent.yaml'",
            "",
            "Starts promote.command and meanwhile asks the local node 'SELECT pg_is_in_recovery()' every 100 ms;",
            "the moment it answers as primary the IP is moved (repmgr standby promote still sleeps about 1 s",
            "after that), then it waits for promote.command to exit. Everything is bounded by promote.deadline.",
            "The DigitalOcean token comes from digitalocean.token_file or DIGITALOCEAN_ACCESS_TOKEN, never argv.",
            "The API is spoken to over HTTPS only: digitalocean.ca_file names the one CA to trust (default: the JDK's).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the node is primary and the floating IP is verified on it",
            "1:promote failed: the node did not become primary",
            "2:configuration, usage or token error, or the API's certificate is not trusted",
            "3:the floating IP could not be moved within the deadline",
            "4:DigitalOcean rejected the token (401)",
        })
final class PromoteCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--skip-promote",
            description = "Do not promote and do not check the role: only move the floating IP here and verify it.")
    boolean skipPromote;

    @Option(names = "--already-promoted",
            description = {"The caller ran 'repmgr standby promote' itself (a shell wrapper, so no JVM start delays the",
                "promotion): confirm this node answers as primary, then move the floating IP. promote.command is unused."})
    boolean alreadyPromoted;

    @Override
    public Integer call() {
        if (skipPromote && alreadyPromoted) {
            throw new dev.pgflip.agent.PgflipException(ExitCode.USAGE,
                    "--skip-promote and --already-promoted exclude each other: give one");
        }
        PromoteHook.run(config.file, skipPromote ? PromoteHook.Mode.FLIP_ONLY
                : alreadyPromoted ? PromoteHook.Mode.ALREADY_PROMOTED : PromoteHook.Mode.PROMOTE, Environment.current());
        return ExitCode.OK.code();
    }
}
