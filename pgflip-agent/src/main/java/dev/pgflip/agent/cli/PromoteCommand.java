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
            "Starts promote.command and meanwhile asks the local node",
            "'SELECT pg_is_in_recovery()' every 100 ms; the moment it answers as primary",
            "the IP is moved (repmgr standby promote still sleeps about 1 s after that),",
            "then it waits for promote.command to exit. Everything is bounded by",
            "promote.deadline.",
            "",
            "Once the node answers as primary the promotion has succeeded, and the exit",
            "status says so (0) even when the IP could not be moved: the API slow,",
            "rate-limiting or down past the deadline, or a configuration error such as",
            "a rejected token or certificate. A non-zero status could not undo the",
            "promotion; it would only make repmgrd record PROMOTION_FAILED and keep",
            "monitoring a primary as a standby. Instead one log line says that the node",
            "is primary, that the IP has not moved and why (WARN, or ERROR when the",
            "configuration must be fixed first), and the events file gets",
            "pgflip_flip_deferred. 'pgflip watch' on this node moves the IP once it can;",
            "by hand: pgflip promote --skip-promote --config FILE. With --skip-promote",
            "nothing is promoted, so there a failed move is the command's failure.",
            "",
            "The DigitalOcean token comes from digitalocean.token_file or",
            "DIGITALOCEAN_ACCESS_TOKEN, never argv. The API is spoken to over HTTPS only:",
            "digitalocean.ca_file names the one CA to trust (default: the JDK's).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the node is primary; the floating IP is verified on it, or its move was deferred (see above)",
            "1:promote failed: the node did not become primary (the floating IP was not moved)",
            "2:configuration, usage or token error found before anything was promoted; with --skip-promote also an"
                    + " untrusted API certificate",
            "3:--skip-promote only: the floating IP could not be moved within the deadline",
            "4:--skip-promote only: DigitalOcean rejected the token (401) or found it without write scope (403)",
        })
final class PromoteCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--skip-promote",
            description = "Do not promote and do not check the role: only move the floating IP here and verify it.")
    boolean skipPromote;

    @Option(names = "--already-promoted",
            description = "The caller promoted this node itself (the pgflip-promote wrapper: pg_promote in shell,"
                    + " so no JVM start delays the promotion): confirm this node answers as primary, then move the floating IP."
                    + " promote.command is unused, and the token is checked only once the node is primary (the"
                    + " promotion has happened by then). PGFLIP_WRITABLE_AT (Unix epoch ms, set by the wrapper) is"
                    + " when the caller saw the node leave recovery: the pgflip_node_writable event carries it.")
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
